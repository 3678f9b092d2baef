using System.Text.Json;
using EngineIo;
using SocketIo.Internal.Serialization;

namespace SocketIo;

/// <summary>
/// Options of a Socket.IO server. The defaults are those of the reference Node.js server. Transport-level settings
/// live in <see cref="Engine"/>; the most used ones are repeated here for convenience.
/// </summary>
public sealed class SocketIoOptions
{
    /// <summary>The default <see cref="Path"/>.</summary>
    public const string DefaultPath = "/socket.io";

    /// <summary>The default <see cref="ConnectTimeout"/>: 45 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(45);

    /// <summary>The default <see cref="MaxAttachments"/>: 10.</summary>
    public const int DefaultMaxAttachments = 10;

    private TimeSpan _connectTimeout = DefaultConnectTimeout;
    private int _maxAttachments = DefaultMaxAttachments;

    /// <summary>The Engine.IO options underneath (heartbeat, limits, transports, CORS, cookie, compression).</summary>
    public EngineIoOptions Engine { get; } = new() { Path = DefaultPath };

    /// <summary>The path the server answers on. Default: <c>/socket.io</c>.</summary>
    public string Path
    {
        get => Engine.Path;
        set => Engine.Path = value;
    }

    /// <summary>How often the server pings the client. Default: 25 s.</summary>
    public TimeSpan PingInterval
    {
        get => Engine.PingInterval;
        set => Engine.PingInterval = value;
    }

    /// <summary>How long the server waits for a pong. Default: 20 s.</summary>
    public TimeSpan PingTimeout
    {
        get => Engine.PingTimeout;
        set => Engine.PingTimeout = value;
    }

    /// <summary>The largest message or POST body accepted, in bytes. Default: 1e6.</summary>
    public long MaxHttpBufferSize
    {
        get => Engine.MaxHttpBufferSize;
        set => Engine.MaxHttpBufferSize = value;
    }

    /// <summary>Cross-origin settings for long-polling. Default: none.</summary>
    public EngineIoCorsOptions? Cors
    {
        get => Engine.Cors;
        set => Engine.Cors = value;
    }

    /// <summary>The transports accepted. Default: polling and WebSocket.</summary>
    public EngineIoTransports Transports
    {
        get => Engine.Transports;
        set => Engine.Transports = value;
    }

    /// <summary>
    /// Whether Socket.IO 2.x clients (Engine.IO protocol v3, Socket.IO protocol v4) are accepted. They are joined
    /// to the main namespace as soon as they connect, as those clients expect. Default: false.
    /// </summary>
    public bool AllowEIO3
    {
        get => Engine.AllowEIO3;
        set => Engine.AllowEIO3 = value;
    }

    /// <summary>
    /// How long a client may stay connected without joining any namespace before it is disconnected. Default: 45 s.
    /// </summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        set => _connectTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The timeout must be positive.");
    }

    /// <summary>The most binary attachments one packet may announce. Default: 10.</summary>
    public int MaxAttachments
    {
        get => _maxAttachments;
        set => _maxAttachments = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least one attachment must be allowed.");
    }

    /// <summary>The wire format of packets: <see cref="SocketIoParser.Json"/> (the default) or <see cref="SocketIoParser.MsgPack"/>.</summary>
    public SocketIoParser Parser { get; set; } = SocketIoParser.Json;

    /// <summary>
    /// How event arguments are turned into JSON and back. Default: System.Text.Json with web defaults (camelCase
    /// properties, case-insensitive reading), and its reflection-based metadata where reflection is available. Byte
    /// arrays always travel as binary attachments.
    /// </summary>
    /// <remarks>
    /// In a native AOT or trimmed application, reflection-based serialization is off: declare the types of event
    /// arguments and acknowledgements in a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> and add
    /// it with <c>options.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default)</c>. Strings,
    /// numbers, booleans, <see cref="Guid"/>, dates, byte arrays and JSON documents (<see cref="JsonElement"/>,
    /// <c>JsonNode</c>) need no declaration. A value of a type no resolver knows throws
    /// <see cref="NotSupportedException"/> when it is emitted or read.
    /// </remarks>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = SystemTextJsonPayloadSerializer.DefaultResolver(),
    };

    /// <summary>
    /// Another serializer for the values of events, acknowledgements and refusals, in place of System.Text.Json
    /// with <see cref="JsonSerializerOptions"/>. Default: null (System.Text.Json). The <c>SocketIo.NewtonsoftJson</c>
    /// project's <c>UseNewtonsoftJson()</c> sets a Newtonsoft.Json one.
    /// </summary>
    public SocketIoPayloadSerializer? PayloadSerializer { get; set; }

    /// <summary>Whether a child namespace of a dynamic namespace is removed once its last socket leaves. Default: false.</summary>
    public bool CleanupEmptyChildNamespaces { get; set; }

    /// <summary>
    /// Connection state recovery: null (the default) turns it off. When set, the CONNECT reply carries a private
    /// session id, events carry an offset as their last argument (except those expecting an acknowledgement and
    /// volatile ones), and a client whose connection dropped (transport closed or failed, ping timeout, connection
    /// closed by the server, server shutdown; never after an explicit disconnect of the socket by either side) and
    /// that comes back in time resumes its socket: same id, rooms and <see cref="SocketIoSocket.Data"/>, and the
    /// events it missed before any new one (see <see cref="SocketIoSocket.Recovered"/>). Set it before the server is
    /// created.
    /// </summary>
    public ConnectionStateRecoveryOptions? ConnectionStateRecovery { get; set; }

    /// <summary>
    /// Creates the adapter of each namespace, the main one included. Default: null, an
    /// <see cref="Adapters.InMemoryAdapter"/> (this node only). A multi-node adapter package sets it (for example
    /// <c>UseRedisAdapter(...)</c> of <c>SocketIo.Redis</c>). Set it before the server is created.
    /// </summary>
    public Func<SocketIoNamespace, Adapters.SocketIoAdapter>? AdapterFactory { get; set; }
}
