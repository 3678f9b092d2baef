using System.Buffers;
using System.Text.Json;
using EngineIo;
using EngineIo.Internal;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using SocketIo.Internal;
using SocketIo.Internal.Parsing;
using SocketIo.Internal.Protocol;

namespace SocketIo;

/// <summary>
/// One client connection seen from Socket.IO: routes its packets to its socket in each namespace, and writes what
/// its sockets send. Packets arrive one at a time. What carries them is the subclass's: an Engine.IO session
/// (<see cref="EngineClientConnection"/>) or a plain WebSocket speaking JSON envelopes
/// (<see cref="Internal.PlainWebSockets.PlainWebSocketConnection"/>); everything above it (namespaces, middlewares, rooms,
/// acks, broadcasts, the adapter) is the same for both.
/// </summary>
internal abstract partial class ClientConnection
{
    private static readonly JsonElement EmptyAuth = JsonDocument.Parse("{}").RootElement;

    private protected readonly SocketIoServer _server;
    private readonly IPacketDecoder _decoder;
    private readonly object _sync = new();
    // This client's socket in each namespace it joined: most clients join one, so a small array replaced on change
    // (and handed out as the snapshot) rather than a dictionary per connection.
    private SocketIoSocket[] _sockets = [];
    private LazyCancellation _closed;
    // The namespaces being connected to, each with the CONNECT packet of that attempt; null when there are none.
    private Dictionary<string, SocketIoPacket>? _connecting;
    private ITimer? _connectTimer;
    private bool _isClosed;

    private protected ClientConnection(SocketIoServer server)
    {
        _server = server;
        _decoder = server.Parser.CreateDecoder(server.DecoderLimits);
        _connectTimer = server.TimeProvider.CreateTimer(static state => ((ClientConnection)state!).OnConnectTimeout(), this, server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The id of the connection, for logs: the Engine.IO session id, or a plain WebSocket connection's own id.</summary>
    public abstract string ConnectionId { get; }

    /// <summary>The HTTP request that opened the connection.</summary>
    public abstract EngineRequestInfo Request { get; }

    /// <summary>The Engine.IO session under the connection; null for a plain WebSocket client.</summary>
    public virtual EngineSession? Session => null;

    /// <summary>The name of the transport carrying the connection now.</summary>
    public abstract string TransportName { get; }

    /// <summary>Whether the transport is still open.</summary>
    protected abstract bool IsTransportOpen { get; }

    /// <summary>Cancelled when the connection closes.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Whether this is a Socket.IO 2.x client (see <see cref="EngineClientConnection.IsLegacyClient"/>).</summary>
    public virtual bool IsLegacyClient => false;

    /// <summary>Joins a 2.x client to the main namespace, as the reference server does as soon as such a client connects.</summary>
    public void ConnectMainNamespace() => _ = ConnectAsync(new SocketIoPacket(PacketType.Connect, "/", null, default, []), "/");

    /// <summary>
    /// The id of a new socket of this client in <paramref name="nsp"/>: random, except for a 2.x client, which works
    /// it out itself from the session id (the session id in the main namespace, <c>/nsp#sid</c> elsewhere).
    /// </summary>
    public string NewSocketId(string nsp) => !IsLegacyClient ? SessionIdGenerator.Next() : nsp == "/" ? ConnectionId : nsp + "#" + ConnectionId;

    public void OnText(ReadOnlySpan<byte> utf8)
    {
        _server.Metrics.BytesReceived(utf8.Length);
        if (!_decoder.TryDecodeText(utf8, out var packet, out var error)) OnDecodeError(error);
        else if (packet is not null) Dispatch(packet);
    }

    public void OnBinary(ReadOnlySpan<byte> data)
    {
        _server.Metrics.BytesReceived(data.Length);
        if (!_decoder.TryDecodeBinary(data, out var packet, out var error)) OnDecodeError(error);
        else if (packet is not null) Dispatch(packet);
    }

    private void OnDecodeError(string? error)
    {
        Log.InvalidPacket(_server.Logger, ConnectionId, error);
        // As in the reference: the engine connection is closed, and the sockets learn it as a "forced close".
        CloseTransport();
    }

    private protected void Dispatch(SocketIoPacket packet)
    {
        _server.Metrics.PacketReceived();
        // A 2.x client appends its handshake query to the namespace of its CONNECT: "/admin?token=abc".
        var name = IsLegacyClient ? WithoutQuery(packet.Namespace) : packet.Namespace;
        SocketIoSocket? socket;
        bool connecting;
        lock (_sync)
        {
            if (_isClosed) return;
            socket = FindSocket(name);
            connecting = _connecting?.ContainsKey(name) ?? false;
        }

        if (socket is null && !connecting && packet.Type == PacketType.Connect)
        {
            _ = ConnectAsync(packet, name);
        }
        else if (socket is not null && packet.Type is not (PacketType.Connect or PacketType.ConnectError))
        {
            socket.OnPacket(packet);
        }
        else
        {
            // A second CONNECT, a packet for a namespace the client has not joined, or a CONNECT_ERROR from a client.
            Log.InvalidState(_server.Logger, ConnectionId, packet.Type, packet.Namespace);
            Close();
        }
    }

    private async Task ConnectAsync(SocketIoPacket packet, string name)
    {
        var auth = IsLegacyClient ? QueryAsAuth(packet.Namespace) : packet.HasData ? ParseAuth(packet.Data) : EmptyAuth;
        var nsp = _server.ResolveNamespace(name, auth);
        if (nsp is null)
        {
            Log.InvalidNamespace(_server.Logger, ConnectionId, name);
            // Unlike a middleware's refusal (see SendConnectError), this one is an object for every client.
            SendConnectErrorPayload(name, _server.Serializer.SerializeConnectError("Invalid namespace", null));
            return;
        }

        lock (_sync) (_connecting ??= new Dictionary<string, SocketIoPacket>(StringComparer.Ordinal))[name] = packet;
        try
        {
            await nsp.ConnectAsync(this, auth).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync)
            {
                // Only this attempt's mark: once attached, the client may have started another one.
                if (_connecting is not null && _connecting.TryGetValue(name, out var current) && ReferenceEquals(current, packet)) StopConnecting(name);
            }
        }
    }

    private static JsonElement ParseAuth(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        return JsonElement.ParseValue(ref reader);
    }

    private static string WithoutQuery(string nsp)
    {
        var question = nsp.IndexOf('?');
        return question < 0 ? nsp : nsp[..question];
    }

    /// <summary>The query of a 2.x client's namespace as the handshake's auth object: <c>{"token":"abc"}</c>, string values, the last of repeated names.</summary>
    private static JsonElement QueryAsAuth(string nsp)
    {
        var question = nsp.IndexOf('?');
        if (question < 0) return EmptyAuth;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in new QueryStringEnumerable(nsp[question..]))
        {
            values[pair.DecodeName().ToString()] = pair.DecodeValue().ToString();
        }

        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        return ParseAuth(json.WrittenMemory);
    }

    /// <summary>Registers a socket that passed its namespace's middlewares; false if the connection closed meanwhile.</summary>
    public bool TryAttach(SocketIoSocket socket)
    {
        lock (_sync)
        {
            if (_isClosed || !IsTransportOpen) return false;
            _sockets = [.. Array.FindAll(_sockets, s => s.Namespace.Name != socket.Namespace.Name), socket];
            // Connected, no longer connecting: the namespace's connection handlers may run for long, and a client
            // that leaves and joins again meanwhile must be treated as a new CONNECT, not a second one.
            StopConnecting(socket.Namespace.Name);
            _connectTimer?.Dispose();
            _connectTimer = null;
        }
        OnAttached(socket);
        return true;
    }

    /// <summary>Called once a socket joined its namespace (its connection handlers have not run yet).</summary>
    private protected virtual void OnAttached(SocketIoSocket socket)
    {
    }

    /// <summary>
    /// Called when an event of the client's found no handler and no catch-all listener on <paramref name="socket"/>.
    /// Socket.IO ignores it, as the reference does; a plain WebSocket client is told.
    /// </summary>
    internal virtual void OnUnhandledEvent(SocketIoSocket socket, string eventName, SocketIoAck? ack)
    {
    }

    public void Remove(SocketIoSocket socket)
    {
        lock (_sync)
        {
            if (Array.IndexOf(_sockets, socket) >= 0) _sockets = Array.FindAll(_sockets, s => !ReferenceEquals(s, socket));
        }
    }

    /// <summary>Refuses a connection to <paramref name="nsp"/> that a middleware turned down.</summary>
    public void SendConnectError(string nsp, string message, object? data) =>
        // A 2.x client gets the refusal in its older form: the data as it is if there is any, else the message string.
        SendConnectErrorPayload(nsp, IsLegacyClient ? _server.Serializer.SerializeValue(data ?? message) : _server.Serializer.SerializeConnectError(message, data));

    private void SendConnectErrorPayload(string nsp, byte[] payload) =>
        Send(_server.Parser.Encode(new SocketIoPacket(PacketType.ConnectError, nsp, null, payload, [])), isVolatile: false, compress: true);

    /// <summary>
    /// Writes a packet's encoded messages (the same instances for every recipient of a broadcast), all or nothing for
    /// a volatile packet. A broadcast defers the socket write to the thread pool.
    /// </summary>
    public void Send(EngineMessage[] messages, bool isVolatile, bool compress)
    {
        if (TrySend(messages, isVolatile, compress, deferWrite: false)) _server.Metrics.PacketsSent(1, messages);
        else _server.Metrics.PacketsDropped(1, SocketIoMetrics.VolatileDrop);
    }

    /// <summary>
    /// <see cref="Send"/> without counting it: false if a volatile packet was dropped. A broadcast counts its
    /// deliveries itself, once for all its recipients.
    /// </summary>
    public abstract bool TrySend(EngineMessage[] messages, bool isVolatile, bool compress, bool deferWrite);

    /// <summary>Closes the transport; it reports the end through <see cref="OnClosed"/> (again: only the first call counts).</summary>
    protected abstract void CloseTransport();

    /// <summary>
    /// Closes the connection with an application's close code and reason, after what is queued. Only a plain
    /// WebSocket carries them; an Engine.IO session just closes, its protocol having no such codes.
    /// </summary>
    public virtual void CloseWithStatus(int closeCode, string? reason) => Close();

    private void OnConnectTimeout()
    {
        bool joined;
        lock (_sync) joined = _sockets.Length > 0;
        if (joined) return;
        Log.ConnectTimeout(_server.Logger, ConnectionId);
        Close();
    }

    /// <summary>Closes the connection because of a protocol violation or a timeout ("forced server close").</summary>
    public void Close()
    {
        CloseTransport();
        OnClosed(DisconnectReason.ForcedServerClose);
    }

    /// <summary>Disconnects every socket of this client, then closes the connection (<c>Disconnect(close: true)</c>).</summary>
    public void DisconnectAll()
    {
        foreach (var socket in SnapshotSockets()) socket.Disconnect();
        Close();
    }

    /// <summary>The connection is gone: every socket disconnects with <paramref name="reason"/>, once.</summary>
    public void OnClosed(DisconnectReason reason)
    {
        lock (_sync)
        {
            if (_isClosed) return;
            _isClosed = true;
            _connectTimer?.Dispose();
            _connectTimer = null;
        }
        _closed.Cancel();
        foreach (var socket in SnapshotSockets()) socket.OnClose(reason);
    }

    /// <summary>The sockets of this client now. The array is never changed: callers may keep it and must not change it.</summary>
    public SocketIoSocket[] SnapshotSockets()
    {
        lock (_sync) return _sockets;
    }

    // Under _sync.
    private SocketIoSocket? FindSocket(string nsp)
    {
        foreach (var socket in _sockets)
        {
            if (string.Equals(socket.Namespace.Name, nsp, StringComparison.Ordinal)) return socket;
        }
        return null;
    }

    // Under _sync.
    private void StopConnecting(string nsp)
    {
        if (_connecting is null) return;
        _connecting.Remove(nsp);
        if (_connecting.Count == 0) _connecting = null;
    }


    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Information, "Connection {Sid}: invalid packet ({Error}); closing.", EventName = "InvalidPacket")]
        public static partial void InvalidPacket(ILogger logger, string sid, string? error);

        [LoggerMessage(121, LogLevel.Information, "Connection {Sid}: unexpected {Type} packet for namespace {Namespace}; closing.", EventName = "InvalidState")]
        public static partial void InvalidState(ILogger logger, string sid, PacketType type, string @namespace);

        [LoggerMessage(122, LogLevel.Debug, "Connection {Sid}: namespace {Namespace} does not exist.", EventName = "InvalidNamespace")]
        public static partial void InvalidNamespace(ILogger logger, string sid, string @namespace);

        [LoggerMessage(123, LogLevel.Debug, "Connection {Sid} joined no namespace in time; closing.", EventName = "ConnectTimeout")]
        public static partial void ConnectTimeout(ILogger logger, string sid);
    }
}
