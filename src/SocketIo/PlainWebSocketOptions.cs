using System.Text.Json;

namespace SocketIo;

/// <summary>
/// Options of a plain WebSocket endpoint (see <c>MapPlainWebSocket</c>): the names of the JSON envelope's fields and
/// of its reserved message types, the heartbeat and the limits. The field names differ per endpoint because the
/// older APIs such endpoints serve each had their own.
/// </summary>
public sealed class PlainWebSocketOptions
{
    /// <summary>The default <see cref="KeepAliveInterval"/>: 25 s, the Socket.IO ping interval.</summary>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(25);

    /// <summary>The default <see cref="KeepAliveTimeout"/>: 20 s, the Socket.IO ping timeout.</summary>
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The default <see cref="MaxMessageSize"/>: 1 MB, the Socket.IO <c>maxHttpBufferSize</c>.</summary>
    public const int DefaultMaxMessageSize = 1_000_000;

    /// <summary>The default <see cref="RefusalCloseStatus"/>: 1008 (policy violation).</summary>
    public const int DefaultRefusalCloseStatus = 1008;

    /// <summary>The envelope field that names the message type (the event). Default: <c>type</c>.</summary>
    public string TypeField { get; set; } = "type";

    /// <summary>The envelope field that carries the payload (the event's first argument). Default: <c>data</c>.</summary>
    public string DataField { get; set; } = "data";

    /// <summary>
    /// The envelope field that carries a message id. A client message with an id asks for an answer, which comes back
    /// with the same id; a server message always has one. Null for an API without ids: server messages carry none,
    /// and clients cannot ask for answers. Default: <c>id</c>.
    /// </summary>
    public string? IdField { get; set; } = "id";

    /// <summary>The envelope field with the time a server message was sent (ISO-8601, UTC); null to leave it out. Default: <c>timestamp</c>.</summary>
    public string? TimestampField { get; set; } = "timestamp";

    /// <summary>The message type a client sends to check the connection. Default: <c>ping</c>.</summary>
    public string PingType { get; set; } = "ping";

    /// <summary>The message type of the server's answer to <see cref="PingType"/>. Default: <c>pong</c>.</summary>
    public string PongType { get; set; } = "pong";

    /// <summary>
    /// The message type of the server's complaint about a client message: not JSON, not an envelope, or a type no
    /// handler takes. Its data is <c>{code, message}</c>. Default: <c>error</c>.
    /// </summary>
    public string ErrorType { get; set; } = "error";

    /// <summary>How often the server sends a WebSocket ping frame; <see cref="TimeSpan.Zero"/> for never. Default: 25 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = DefaultKeepAliveInterval;

    /// <summary>
    /// How long the server waits for the pong of a ping frame before it drops the connection;
    /// <see cref="Timeout.InfiniteTimeSpan"/> for ever. Default: 20 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = DefaultKeepAliveTimeout;

    /// <summary>The largest client message accepted, in bytes; a larger one closes the connection with 1009. Default: 1 MB.</summary>
    public int MaxMessageSize
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultMaxMessageSize;

    /// <summary>
    /// The close code of a client refused by a namespace middleware that did not choose one itself (with
    /// <see cref="SocketIoSocket.CloseConnection"/>); the reason is the refusal's message. Default: 1008.
    /// </summary>
    public int RefusalCloseStatus { get; set; } = DefaultRefusalCloseStatus;

    /// <summary>How long a closing server waits for the client's close frame before it drops the connection. Default: 5 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Writes fields of the application's own into every envelope the server sends to a socket (after the standard
    /// ones), such as the user or store the connection belongs to. Null for none.
    /// </summary>
    public Action<SocketIoSocket, Utf8JsonWriter>? WriteExtraFields { get; set; }
}
