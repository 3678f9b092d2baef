using Microsoft.AspNetCore.Http;

namespace EngineIo;

/// <summary>
/// Options of an Engine.IO server. The defaults are those of the reference Node.js server.
/// </summary>
public sealed class EngineIoOptions
{
    /// <summary>The default <see cref="Path"/> of a bare Engine.IO server.</summary>
    public const string DefaultPath = "/engine.io";

    /// <summary>The default <see cref="PingInterval"/>: 25 seconds.</summary>
    public static readonly TimeSpan DefaultPingInterval = TimeSpan.FromSeconds(25);

    /// <summary>The default <see cref="PingTimeout"/>: 20 seconds.</summary>
    public static readonly TimeSpan DefaultPingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The default <see cref="UpgradeTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultUpgradeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="MaxHttpBufferSize"/>: 1e6 bytes.</summary>
    public const long DefaultMaxHttpBufferSize = 1_000_000;

    /// <summary>The default <see cref="MaxQueuedBytes"/>: 4 MiB (see the README's "Slow consumers").</summary>
    public const long DefaultMaxQueuedBytes = 4 * 1024 * 1024;

    private string _path = DefaultPath;
    private TimeSpan _pingInterval = DefaultPingInterval;
    private TimeSpan _pingTimeout = DefaultPingTimeout;
    private TimeSpan _upgradeTimeout = DefaultUpgradeTimeout;
    private long _maxHttpBufferSize = DefaultMaxHttpBufferSize;
    private long _maxQueuedBytes = DefaultMaxQueuedBytes;

    /// <summary>
    /// The path the server answers on, such as <c>/engine.io</c> (the default) or <c>/socket.io</c>. A trailing slash is optional.
    /// Used by <c>MapEngineIo</c> when no explicit pattern is given.
    /// </summary>
    public string Path
    {
        get => _path;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            if (value[0] != '/') throw new ArgumentException("The path must start with '/'.", nameof(value));
            _path = value.Length > 1 ? value.TrimEnd('/') : value;
        }
    }

    /// <summary>How often the server pings the client. Default: 25 s.</summary>
    public TimeSpan PingInterval
    {
        get => _pingInterval;
        set => _pingInterval = Positive(value);
    }

    /// <summary>How long the server waits for a pong before it closes the session. Default: 20 s.</summary>
    public TimeSpan PingTimeout
    {
        get => _pingTimeout;
        set => _pingTimeout = Positive(value);
    }

    /// <summary>How long a transport upgrade may take before it is cancelled. Default: 10 s.</summary>
    public TimeSpan UpgradeTimeout
    {
        get => _upgradeTimeout;
        set => _upgradeTimeout = Positive(value);
    }

    /// <summary>
    /// The largest message (WebSocket) or POST body (long-polling) accepted, in bytes; larger ones close the session.
    /// Announced to clients as <c>maxPayload</c>. Default: 1e6.
    /// </summary>
    public long MaxHttpBufferSize
    {
        get => _maxHttpBufferSize;
        set => _maxHttpBufferSize = value is > 0 and <= int.MaxValue
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), "The buffer size must be between 1 and 2^31-1 bytes.");
    }

    /// <summary>
    /// The most outgoing bytes one session may have queued and not yet written to its connection (both transports).
    /// Past half of it, volatile messages to the session are dropped; past all of it, the client is too slow for what
    /// it is sent and the session closes with <see cref="EngineCloseReason.SlowConsumer"/>. A single message is always
    /// accepted into an empty queue, so set it above the largest message the application sends. Default: 4 MiB.
    /// </summary>
    public long MaxQueuedBytes
    {
        get => _maxQueuedBytes;
        set => _maxQueuedBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The limit must be positive.");
    }

    /// <summary>The transports accepted. Default: polling and WebSocket.</summary>
    public EngineIoTransports Transports { get; set; } = EngineIoTransports.All;

    /// <summary>Whether a polling session may upgrade to WebSocket. Default: true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>
    /// Whether clients of protocol v3 (Engine.IO 3, Socket.IO 2.x clients) are accepted. Default: false, as in the
    /// reference server: such clients get <c>{"code":5,"message":"Unsupported protocol version"}</c>.
    /// </summary>
    public bool AllowEIO3 { get; set; }

    /// <summary>
    /// Whether an endpoint where the WebSocket handoff is installed (by <c>AddSocketIo</c> on the endpoints Kestrel binds,
    /// or by <c>UseEngineIoWebSocketHandoff</c>) uses it: a fresh WebSocket's handshake runs the whole HTTP pipeline,
    /// then its session runs on the connection, without the HTTP stack's per-request state (about 5 KB per idle
    /// WebSocket). Default: true. The request then ends right after the 101, and the session's messages are handled
    /// outside it (<c>IHttpContextAccessor.HttpContext</c> is null in handlers; <see cref="EngineSession.Request"/> is
    /// the request's snapshot). Set it to false to keep every WebSocket inside its HTTP request, as a plain ASP.NET
    /// Core WebSocket endpoint would (e.g. for middleware that must see the request end only when the WebSocket
    /// closes, or handlers that read the HttpContext).
    /// </summary>
    public bool WebSocketHandoff { get; set; } = true;

    /// <summary>
    /// A hook that decides whether a handshake request may open a session (for example, to check an origin or a
    /// token). A denial answers HTTP 403 with code 4. Default: none (every handshake is allowed).
    /// </summary>
    public Func<HttpContext, ValueTask<AllowRequestResult>>? AllowRequest { get; set; }

    /// <summary>Cross-origin settings for long-polling. Default: null (no CORS headers are sent).</summary>
    public EngineIoCorsOptions? Cors { get; set; }

    /// <summary>The session-id cookie. Default: null (no cookie).</summary>
    public EngineIoCookieOptions? Cookie { get; set; }

    /// <summary>Compression of long-polling responses. Default: on, with a 1024-byte threshold; null turns it off.</summary>
    public HttpCompressionOptions? HttpCompression { get; set; } = new();

    /// <summary>WebSocket permessage-deflate. Default: null (off), as in the reference server.</summary>
    public PerMessageDeflateOptions? PerMessageDeflate { get; set; }

    /// <summary>A message sent to every client right after the handshake. Default: none.</summary>
    public EngineMessage? InitialPacket { get; set; }

    private static TimeSpan Positive(TimeSpan value) =>
        value > TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), "The duration must be positive and under 24 days.");
}
