namespace SocketIo.Internal.Protocol;

/// <summary>
/// Bounds the work a peer can make the JSON packet decoder do. The defaults match the reference
/// parser (at most 10 attachments per packet) and add a JSON nesting cap, which the reference does
/// not have but a server reading untrusted input needs.
/// </summary>
internal sealed class DecoderLimits
{
    /// <summary>The reference parser's default for <see cref="MaxAttachments"/>.</summary>
    public const int DefaultMaxAttachments = 10;

    /// <summary>The default for <see cref="MaxDepth"/>: deep enough for real payloads, shallow enough to bound the walk.</summary>
    public const int DefaultMaxDepth = 32;

    /// <summary>The limits used when the server is not configured otherwise.</summary>
    public static DecoderLimits Default { get; } = new();

    /// <summary>
    /// The largest attachment count a BINARY_EVENT or BINARY_ACK header may announce. Zero forbids
    /// binary packets altogether.
    /// </summary>
    public int MaxAttachments
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = DefaultMaxAttachments;

    /// <summary>
    /// The deepest nesting of JSON arrays and objects accepted in a payload; the top-level array or
    /// object counts as one level.
    /// </summary>
    public int MaxDepth
    {
        get;
        init
        {
            // Utf8JsonReader reads a MaxDepth of 0 as "use the default (64)", so 0 cannot mean "no nesting".
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultMaxDepth;
}
