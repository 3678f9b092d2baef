namespace SocketIo;

/// <summary>
/// Settings of connection state recovery (<see cref="SocketIoOptions.ConnectionStateRecovery"/>). A client that
/// loses its connection and comes back within <see cref="MaxDisconnectionDuration"/> gets its socket id, rooms and
/// <see cref="SocketIoSocket.Data"/> back, and receives the events it missed, in order. The defaults are those of
/// the reference server, except <see cref="MaxBufferedPackets"/>, a bound the reference does not have.
/// </summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>The default <see cref="MaxDisconnectionDuration"/>: 2 minutes.</summary>
    public static readonly TimeSpan DefaultMaxDisconnectionDuration = TimeSpan.FromMinutes(2);

    /// <summary>The default <see cref="MaxBufferedPackets"/>: 10,000.</summary>
    public const int DefaultMaxBufferedPackets = 10_000;

    private TimeSpan _maxDisconnectionDuration = DefaultMaxDisconnectionDuration;
    private int _maxBufferedPackets = DefaultMaxBufferedPackets;

    /// <summary>
    /// How long a disconnected session, and each event sent, is kept for a client to come back. Default: 2 minutes.
    /// </summary>
    public TimeSpan MaxDisconnectionDuration
    {
        get => _maxDisconnectionDuration;
        set => _maxDisconnectionDuration = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The duration must be positive.");
    }

    /// <summary>
    /// Whether a socket that recovered its session skips the namespace middlewares, as it passed them when it first
    /// connected. Default: true.
    /// </summary>
    public bool SkipMiddlewares { get; set; } = true;

    /// <summary>
    /// The most events each namespace keeps for clients that come back; when it is full the oldest is dropped, and a
    /// client that still needed it gets a new session instead of a recovered one. Each kept event holds its encoded
    /// bytes, so memory is about this many times the typical event size. Default: 10,000.
    /// </summary>
    public int MaxBufferedPackets
    {
        get => _maxBufferedPackets;
        set => _maxBufferedPackets = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least one packet must be kept.");
    }
}
