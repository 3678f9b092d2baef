namespace EngineIo;

/// <summary>gzip/deflate compression of HTTP long-polling responses, chosen from the request's Accept-Encoding.</summary>
public sealed class HttpCompressionOptions
{
    /// <summary>The default <see cref="Threshold"/>, as in the reference server.</summary>
    public const int DefaultThreshold = 1024;

    private int _threshold = DefaultThreshold;

    /// <summary>Responses smaller than this many bytes are sent uncompressed. Default: 1024.</summary>
    public int Threshold
    {
        get => _threshold;
        set => _threshold = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The threshold cannot be negative.");
    }
}
