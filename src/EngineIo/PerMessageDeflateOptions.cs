namespace EngineIo;

/// <summary>The WebSocket permessage-deflate extension (RFC 7692), used when the client offers it.</summary>
public sealed class PerMessageDeflateOptions
{
    /// <summary>The default <see cref="Threshold"/>, as in the reference server.</summary>
    public const int DefaultThreshold = 1024;

    private int _threshold = DefaultThreshold;

    /// <summary>Messages smaller than this many bytes are sent uncompressed. Default: 1024.</summary>
    public int Threshold
    {
        get => _threshold;
        set => _threshold = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The threshold cannot be negative.");
    }

    /// <summary>Whether the server keeps its compression context between messages (better ratio, more memory per connection). Default: false.</summary>
    public bool ServerContextTakeover { get; set; }
}
