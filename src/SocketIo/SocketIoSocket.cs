using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using EngineIo;
using SocketIo.Adapters;
using SocketIo.Internal;
using SocketIo.Internal.Recovery;
using SocketIo.Internal.Protocol;
using Microsoft.Extensions.Logging;

namespace SocketIo;

/// <summary>
/// A client connected to one namespace. A client that joins several namespaces over one connection has one socket
/// in each. Thread-safe.
/// </summary>
public sealed partial class SocketIoSocket
{
    private readonly object _sync = new();
    // Every handler in registration order, scanned by name: a socket has a handful, and a dictionary of arrays cost
    // several hundred bytes per connection. Replaced, never changed in place, so a dispatch reads a stable snapshot.
    private EventHandlerEntry[] _handlers = [];
    // Created by the first emit that waits for an acknowledgement: most sockets never do, and an empty concurrent
    // dictionary is half a kilobyte per connection.
    private ConcurrentDictionary<long, Action<SocketIoArguments?>>? _acks;
    private ImmutableArray<Action<string, SocketIoArguments>> _anyListeners = [];
    private ImmutableArray<Action<string, object?[]>> _anyOutgoingListeners = [];
    private ImmutableArray<Func<SocketIoEvent, CancellationToken, ValueTask>> _middlewares = [];
    private LazyCancellation _disconnected;
    private int _connected;
    private bool _hasConnected;
    private int _closing;
    // Packets that arrive before the connection handlers have run (see MarkReady); null once ready.
    private List<SocketIoPacket>? _earlyPackets = [];

    internal SocketIoSocket(SocketIoNamespace @namespace, ClientConnection client, string id, SocketIoHandshake handshake, string? privateId = null)
    {
        Namespace = @namespace;
        Client = client;
        Id = id;
        Handshake = handshake;
        PrivateId = privateId;
    }

    /// <summary>The socket id: random, distinct from the connection's session id, shared with the client.</summary>
    public string Id { get; }

    /// <summary>The namespace the socket belongs to.</summary>
    public SocketIoNamespace Namespace { get; }

    /// <summary>What the client sent when it connected.</summary>
    public SocketIoHandshake Handshake { get; }

    /// <summary>
    /// Application state attached to the socket. Assigning it raises <see cref="DataChanged"/>; changes made inside
    /// the object it holds are not seen (assign it again, or call <see cref="NotifyDataChanged"/>, to publish them).
    /// </summary>
    public object? Data
    {
        get => _data;
        set
        {
            _data = value;
            NotifyDataChanged();
        }
    }

    private object? _data;

    /// <summary>
    /// Raised when <see cref="Data"/> is assigned or <see cref="NotifyDataChanged"/> is called (observers such as the
    /// admin UI publish the new state). Handlers must be quick; an exception is logged, never thrown to the setter.
    /// </summary>
    public event Action<SocketIoSocket>? DataChanged;

    /// <summary>Raises <see cref="DataChanged"/>: call it after changing the object held by <see cref="Data"/> in place.</summary>
    public void NotifyDataChanged()
    {
        if (DataChanged is not { } handler) return;
        try
        {
            handler(this);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Namespace.Server.Logger, Id, "data-changed", ex);
        }
    }

    /// <summary>Whether the socket is connected.</summary>
    public bool Connected => System.Threading.Volatile.Read(ref _connected) == 1;

    /// <summary>Whether this socket resumed an earlier session through connection state recovery.</summary>
    public bool Recovered { get; internal set; }

    /// <summary>
    /// The Engine.IO session under this socket (shared by every namespace the client joined): its transport, its
    /// upgrade events, and <see cref="EngineSession.Close()"/> to drop the whole connection without a DISCONNECT packet,
    /// which a client takes for a lost connection and reconnects from. A plain WebSocket client (see
    /// <see cref="IsPlainWebSocket"/>) has none: this throws <see cref="InvalidOperationException"/>; use
    /// <see cref="CloseConnection"/>, which works for both.
    /// </summary>
    public EngineSession Connection => Client.Session
        ?? throw new InvalidOperationException("A plain WebSocket client has no Engine.IO session; use CloseConnection.");

    /// <summary>
    /// The name of the connection's current transport: <c>polling</c> or <c>websocket</c>, or
    /// <c>plain-websocket</c> for a client of a plain WebSocket endpoint (see <c>MapPlainWebSocket</c>).
    /// </summary>
    public string TransportName => Client.TransportName;

    /// <summary>
    /// Whether the client is a plain WebSocket client speaking JSON envelopes (see <c>MapPlainWebSocket</c>) rather
    /// than a Socket.IO client.
    /// </summary>
    public bool IsPlainWebSocket => Client.Session is null;

    /// <summary>The rooms the socket is in, including the room named after its id.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.SocketRooms(Id);

    /// <summary>Cancelled when the socket disconnects: pass it to work that should stop with the socket.</summary>
    public CancellationToken DisconnectToken => _disconnected.Token;

    internal ClientConnection Client { get; }

    /// <summary>
    /// The private session id a client presents to resume this socket after its connection dropped (the <c>pid</c>
    /// of the CONNECT reply); null when connection state recovery is off. Never shared with other clients.
    /// </summary>
    internal string? PrivateId { get; }

    /// <summary>Raised when the socket is about to disconnect; it is still in its rooms.</summary>
    public event Action<SocketIoSocket, DisconnectReason>? Disconnecting;

    /// <summary>Raised when the socket has disconnected.</summary>
    public event Action<SocketIoSocket, DisconnectReason>? Disconnected;

    /// <summary>Raised when a socket middleware refused an incoming event.</summary>
    public event Action<SocketIoSocket, Exception>? Error;

    // ---- Incoming events -------------------------------------------------------------------------------------

    /// <summary>Registers a handler for an event. Several handlers per event run in registration order.</summary>
    public SocketIoSocket On(string eventName, Func<SocketIoEvent, Task> handler) =>
        AddHandler(eventName, handler, static (h, e, _) => ((Func<SocketIoEvent, Task>)h)(e));

    /// <summary>Registers a handler for an event.</summary>
    public SocketIoSocket On(string eventName, Action<SocketIoEvent> handler) =>
        AddHandler(eventName, handler, static (h, e, _) =>
        {
            ((Action<SocketIoEvent>)h)(e);
            return Task.CompletedTask;
        });

    /// <summary>Registers a handler that receives the event's first argument as <typeparamref name="T"/>.</summary>
    public SocketIoSocket On<T>(string eventName, Func<T?, Task> handler) =>
        AddHandler(eventName, handler, static (h, e, _) => ((Func<T?, Task>)h)(e.Args.Get<T>(0)));

    /// <summary>Registers a handler that receives the event's first argument as <typeparamref name="T"/>.</summary>
    public SocketIoSocket On<T>(string eventName, Action<T?> handler) =>
        AddHandler(eventName, handler, static (h, e, _) =>
        {
            ((Action<T?>)h)(e.Args.Get<T>(0));
            return Task.CompletedTask;
        });

    /// <summary>
    /// Registers a handler that receives the first argument as <typeparamref name="T"/> and the client's
    /// acknowledgement callback (never null: when the client asked for none, answering does nothing).
    /// </summary>
    public SocketIoSocket On<T>(string eventName, Func<T?, SocketIoAck, Task> handler) =>
        AddHandler(eventName, handler, static (h, e, socket) => ((Func<T?, SocketIoAck, Task>)h)(e.Args.Get<T>(0), e.Ack ?? new SocketIoAck(socket, -1)));

    /// <summary>Registers a handler that receives the first argument as <typeparamref name="T"/> and the acknowledgement callback.</summary>
    public SocketIoSocket On<T>(string eventName, Action<T?, SocketIoAck> handler) =>
        AddHandler(eventName, handler, static (h, e, socket) =>
        {
            ((Action<T?, SocketIoAck>)h)(e.Args.Get<T>(0), e.Ack ?? new SocketIoAck(socket, -1));
            return Task.CompletedTask;
        });

    /// <summary>Removes every handler of an event.</summary>
    public SocketIoSocket Off(string eventName)
    {
        lock (_sync) _handlers = Array.FindAll(_handlers, entry => !string.Equals(entry.Name, eventName, StringComparison.Ordinal));
        return this;
    }

    private SocketIoSocket AddHandler(string eventName, Delegate handler, EventInvoker invoke)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_sync) _handlers = [.. _handlers, new EventHandlerEntry(eventName, handler, invoke)];
        return this;
    }

    /// <summary>Registers a listener called for every incoming event, before its handlers.</summary>
    public SocketIoSocket OnAny(Action<string, SocketIoArguments> listener)
    {
        ImmutableInterlocked.Update(ref _anyListeners, list => list.Add(listener));
        return this;
    }

    /// <summary>Registers a listener called for every incoming event, before the other catch-all listeners.</summary>
    public SocketIoSocket PrependAny(Action<string, SocketIoArguments> listener)
    {
        ImmutableInterlocked.Update(ref _anyListeners, list => list.Insert(0, listener));
        return this;
    }

    /// <summary>Removes one catch-all listener, or all of them when <paramref name="listener"/> is null.</summary>
    public SocketIoSocket OffAny(Action<string, SocketIoArguments>? listener = null)
    {
        ImmutableInterlocked.Update(ref _anyListeners, list => listener is null ? [] : list.Remove(listener));
        return this;
    }

    /// <summary>Registers a listener called for every event this socket emits (not for broadcasts).</summary>
    public SocketIoSocket OnAnyOutgoing(Action<string, object?[]> listener)
    {
        ImmutableInterlocked.Update(ref _anyOutgoingListeners, list => list.Add(listener));
        return this;
    }

    /// <summary>Registers an outgoing catch-all listener before the others.</summary>
    public SocketIoSocket PrependAnyOutgoing(Action<string, object?[]> listener)
    {
        ImmutableInterlocked.Update(ref _anyOutgoingListeners, list => list.Insert(0, listener));
        return this;
    }

    /// <summary>Removes one outgoing catch-all listener, or all of them when <paramref name="listener"/> is null.</summary>
    public SocketIoSocket OffAnyOutgoing(Action<string, object?[]>? listener = null)
    {
        ImmutableInterlocked.Update(ref _anyOutgoingListeners, list => listener is null ? [] : list.Remove(listener));
        return this;
    }

    /// <summary>
    /// Adds a middleware run on every incoming event before its handlers. Throwing refuses the event: it is
    /// dropped and <see cref="Error"/> is raised with the exception.
    /// </summary>
    public SocketIoSocket Use(Func<SocketIoEvent, CancellationToken, ValueTask> middleware)
    {
        ImmutableInterlocked.Update(ref _middlewares, list => list.Add(middleware));
        return this;
    }

    // ---- Outgoing events -------------------------------------------------------------------------------------

    /// <summary>Emits an event to this socket's client.</summary>
    /// <exception cref="ArgumentException">The event name is reserved (connect, disconnect, …).</exception>
    public bool Emit(string eventName, params object?[] args) => new SocketEmitter(this, Compress: true, Volatile: false, Timeout: null).Emit(eventName, args);

    /// <summary>Emits an event and waits for the client's acknowledgement; returns its first argument.</summary>
    public Task<T?> EmitWithAckAsync<T>(string eventName, params object?[] args) =>
        new SocketEmitter(this, Compress: true, Volatile: false, Timeout: null).EmitWithAckAsync<T>(eventName, args);

    /// <summary>Emits an event and waits for the client's acknowledgement arguments.</summary>
    public Task<SocketIoArguments> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        new SocketEmitter(this, Compress: true, Volatile: false, Timeout: null).EmitWithAckAsync(eventName, args, cancellationToken);

    /// <summary>An emitter whose acknowledgements time out after <paramref name="timeout"/>.</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(this, Compress: true, Volatile: false, Timeout: timeout);

    /// <summary>An emitter whose packets are dropped when the client cannot take them right now.</summary>
    public SocketEmitter Volatile => new(this, Compress: true, Volatile: true, Timeout: null);

    /// <summary>An emitter whose packets may (or may not) be compressed by the transport.</summary>
    public SocketEmitter Compress(bool compress) => new(this, compress, Volatile: false, Timeout: null);

    // ---- Rooms and broadcasts --------------------------------------------------------------------------------

    /// <summary>Joins a room.</summary>
    public void Join(string room) => Join([room]);

    /// <summary>Joins rooms.</summary>
    public void Join(IEnumerable<string> rooms)
    {
        // Once disconnected a socket joins nothing: a late Join from an async handler must not leak a room entry.
        if (!Connected) return;
        Namespace.Adapter.AddAll(Id, rooms);
    }

    /// <summary>Leaves a room.</summary>
    public void Leave(string room) => Namespace.Adapter.Delete(Id, room);

    /// <summary>A broadcast to <paramref name="room"/> that leaves this socket out.</summary>
    public BroadcastOperator To(string room) => Broadcast.To(room);

    /// <summary>A broadcast to <paramref name="rooms"/> that leaves this socket out.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => Broadcast.To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => Broadcast.To(room);

    /// <summary>A broadcast to every socket of the namespace but this one and those in <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => Broadcast.Except(room);

    /// <summary>A broadcast to every other socket of the namespace.</summary>
    public BroadcastOperator Broadcast => BroadcastOperator.Create(Namespace, [Id]);

    /// <summary>
    /// Disconnects the socket from its namespace (the client gets a DISCONNECT packet). With
    /// <paramref name="close"/>, closes the whole connection, and so every namespace of this client.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected) return;
        if (close)
        {
            Client.DisconnectAll();
            return;
        }
        SendPacket(new SocketIoPacket(PacketType.Disconnect, Namespace.Name, null, default, []), compress: true, isVolatile: false);
        OnClose(DisconnectReason.ServerNamespaceDisconnect);
    }

    /// <summary>
    /// Closes the client's whole connection once what is queued for it is written. A plain WebSocket client gets a
    /// close frame with <paramref name="closeCode"/> (1000, or 3000 to 4999 for an application's own codes) and
    /// <paramref name="reason"/> (at most 123 UTF-8 bytes); a Socket.IO client's Engine.IO session just closes (its
    /// protocol has no close codes), which it takes for a lost connection. May be called from a namespace middleware
    /// to refuse a plain client with a code of the application's choosing before throwing
    /// <see cref="ConnectionRefusedException"/>.
    /// </summary>
    public void CloseConnection(int closeCode, string? reason = null)
    {
        if (closeCode is not (1000 or 1001 or 1008 or 1011 or 1013) and not (>= 3000 and <= 4999))
            throw new ArgumentOutOfRangeException(nameof(closeCode), closeCode, "Use 1000, 1001, 1008, 1011, 1013 or an application code from 3000 to 4999.");
        Client.CloseWithStatus(closeCode, reason);
    }

    // ---- Internals -------------------------------------------------------------------------------------------

    internal void SendPacket(SocketIoPacket packet, bool compress, bool isVolatile) =>
        Client.Send(Namespace.Server.Parser.Encode(packet), isVolatile, compress);

    /// <summary>
    /// Sends an event packet. With connection state recovery, an event that can be replayed goes through the
    /// adapter, as a broadcast to this socket's own room: it gets an offset and is kept, so that it reaches the client
    /// even if the connection drops before it is written.
    /// </summary>
    internal void SendEvent(SocketIoPacket packet, bool compress, bool isVolatile)
    {
        // Before CONNECT (a middleware emitting) the socket is in no room yet: it gets the packet directly, as without recovery.
        if (PrivateId is not null && System.Threading.Volatile.Read(ref _hasConnected))
        {
            var options = BroadcastOptions.Everyone with { Rooms = [Id], Compress = compress, Volatile = isVolatile };
            if (RecoveryStore.IsRecoverable(packet, options))
            {
                Namespace.Adapter.Broadcast(packet, options);
                return;
            }
        }
        SendPacket(packet, compress, isVolatile);
    }

    internal void SendAck(long id, ReadOnlySpan<object?> args)
    {
        if (id < 0 || !Connected) return;
        // An ack is encoded at once and never kept (no recovery, no adapter): it is encoded straight from the
        // serializer's pooled buffer.
        var payload = Namespace.Server.Serializer.WriteArray(null, args);
        try
        {
            var type = payload.Attachments.Count > 0 ? PacketType.BinaryAck : PacketType.Ack;
            SendPacket(new SocketIoPacket(type, Namespace.Name, id, payload.WrittenMemory, payload.Attachments), compress: true, isVolatile: false);
        }
        finally
        {
            payload.Return();
        }
    }

    internal void NotifyOutgoing(string eventName, object?[] args)
    {
        foreach (var listener in _anyOutgoingListeners)
        {
            try
            {
                listener(eventName, args);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, Id, eventName, ex);
            }
        }
    }

    internal void RegisterAck(long id, Action<SocketIoArguments?> callback) => LazyInitializer.EnsureInitialized(ref _acks)[id] = callback;

    /// <summary>Forgets a pending acknowledgement; true if it was still pending.</summary>
    internal bool RemoveAck(long id) => _acks?.TryRemove(id, out _) ?? false;

    // Read when the pending-acks gauge is collected.
    internal int PendingAckCount => System.Threading.Volatile.Read(ref _acks)?.Count ?? 0;

    /// <summary>
    /// Called once the namespace middlewares accepted the socket: joins its own room (and, for a restored session,
    /// the rooms it was in) and answers CONNECT.
    /// </summary>
    internal void OnConnect(ReadOnlyMemory<byte> connectPayload, IReadOnlyCollection<string>? restoredRooms = null)
    {
        System.Threading.Volatile.Write(ref _connected, 1);
        System.Threading.Volatile.Write(ref _hasConnected, true);
        Namespace.Adapter.AddAll(Id, restoredRooms is null ? [Id] : restoredRooms.Append(Id));
        SendPacket(new SocketIoPacket(PacketType.Connect, Namespace.Name, null, connectPayload, []), compress: true, isVolatile: false);
    }

    internal void OnPacket(SocketIoPacket packet)
    {
        lock (_sync)
        {
            if (_earlyPackets is not null)
            {
                _earlyPackets.Add(packet);
                return;
            }
        }
        Process(packet);
    }

    /// <summary>
    /// Called once every connection handler has started: as in the reference, where the client's packets are
    /// handled after the "connection" listeners ran, an event sent right after CONNECT must find the handlers
    /// they registered. Until then packets are held, and released here in arrival order.
    /// </summary>
    internal void MarkReady()
    {
        while (true)
        {
            List<SocketIoPacket> batch;
            lock (_sync)
            {
                if (_earlyPackets is null) return;
                if (_earlyPackets.Count == 0)
                {
                    _earlyPackets = null;
                    return;
                }
                batch = _earlyPackets;
                // Packets arriving while this batch is processed queue behind it, so the order holds.
                _earlyPackets = [];
            }
            foreach (var packet in batch) Process(packet);
        }
    }

    private void Process(SocketIoPacket packet)
    {
        switch (packet.Type)
        {
            case PacketType.Event or PacketType.BinaryEvent:
                OnEvent(packet);
                break;
            case PacketType.Ack or PacketType.BinaryAck:
                OnAck(packet);
                break;
            case PacketType.Disconnect:
                OnClose(DisconnectReason.ClientNamespaceDisconnect);
                break;
        }
    }

    private void OnEvent(SocketIoPacket packet)
    {
        var serializer = Namespace.Server.Serializer;
        var args = SocketIoArguments.FromDecodedPacket(packet.Data, skip: 1, packet.Attachments, serializer);
        var name = ReadEventName(packet.Data.Span);
        var ack = packet.Id is { } id ? new SocketIoAck(this, id) : null;
        // Not awaited: a handler may itself wait for this client (an acknowledgement), which arrives through the
        // same receive loop. Each handler still starts in the order the events arrived.
        _ = DispatchAsync(new SocketIoEvent(this, name, args, ack));
    }

    /// <summary>
    /// The event name of an EVENT payload: for an event with handlers, the very string they are registered under, so
    /// that the usual event costs no new string.
    /// </summary>
    private string ReadEventName(ReadOnlySpan<byte> json)
    {
        const int MaxLookupLength = 64;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        reader.Read();
        // The parser accepts numeric event names, as the reference does; they are handled as their text.
        if (reader.TokenType != JsonTokenType.String) return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        try
        {
            // UTF-8 never takes fewer bytes than UTF-16 code units, nor an escape fewer than what it stands for.
            if (reader.ValueSpan.Length <= MaxLookupLength)
            {
                Span<char> name = stackalloc char[MaxLookupLength];
                name = name[..reader.CopyString(name)];
                foreach (var entry in System.Threading.Volatile.Read(ref _handlers))
                {
                    if (name.SequenceEqual(entry.Name)) return entry.Name;
                }
            }
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped surrogate without its pair ("\ud800"): an ordinary name to the reference server (a JavaScript
            // string may hold one), so an ordinary name here too, with that lone code unit in it.
            return Internal.Protocol.LenientJsonString.Decode(reader.ValueSpan);
        }
    }

    private async Task DispatchAsync(SocketIoEvent e)
    {
        try
        {
            foreach (var middleware in _middlewares) await middleware(e, DisconnectToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.EventRefused(Namespace.Server.Logger, Id, e.Name, ex.Message);
            RaiseError(ex);
            return;
        }

        if (!Connected) return;

        foreach (var listener in _anyListeners)
        {
            try
            {
                listener(e.Name, e.Args);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, Id, e.Name, ex);
            }
        }

        var handled = !_anyListeners.IsEmpty;
        foreach (var entry in System.Threading.Volatile.Read(ref _handlers))
        {
            if (!string.Equals(entry.Name, e.Name, StringComparison.Ordinal)) continue;
            handled = true;
            try
            {
                await entry.Invoke(entry.Handler, e, this).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // An application bug in one handler must not reach the connection or other sockets.
                Log.HandlerFailed(Namespace.Server.Logger, Id, e.Name, ex);
            }
        }
        if (!handled) Client.OnUnhandledEvent(this, e.Name, e.Ack);
    }

    private void OnAck(SocketIoPacket packet)
    {
        if (packet.Id is not { } id || _acks is not { } acks || !acks.TryRemove(id, out var callback))
        {
            Log.UnknownAck(Namespace.Server.Logger, Id, packet.Id ?? -1);
            return;
        }
        callback(SocketIoArguments.FromDecodedPacket(packet.Data, skip: 0, packet.Attachments, Namespace.Server.Serializer));
    }

    private void RaiseError(Exception ex)
    {
        try
        {
            Error?.Invoke(this, ex);
        }
        catch (Exception handlerError)
        {
            Log.HandlerFailed(Namespace.Server.Logger, Id, "error", handlerError);
        }
    }

    /// <summary>The one way a socket ends: disconnecting handlers, rooms left, removed everywhere, disconnect handlers.</summary>
    internal void OnClose(DisconnectReason reason)
    {
        if (!Connected || Interlocked.Exchange(ref _closing, 1) == 1) return;
        // Still connected while the disconnecting handlers run: they may emit, or read the rooms.
        RaiseDisconnect(Disconnecting, reason);
        System.Threading.Volatile.Write(ref _connected, 0);

        // The rooms as they were, read before the socket leaves them; the session is kept only once this socket is
        // gone everywhere, so that a client resuming it at once cannot be undone by the rest of this teardown.
        var kept = PrivateId is not null && reason.KeepsSession()
            ? new PersistedSession(Id, PrivateId, Rooms.ToArray(), Data, Namespace.Server.TimeProvider.GetUtcNow())
            : null;
        Namespace.Adapter.DeleteAll(Id);
        Namespace.Remove(this);
        Client.Remove(this);
        _disconnected.Cancel();
        if (kept is not null) Namespace.KeepSession(kept);

        // Pending acknowledgements will never come: release whoever waits for them.
        var pending = System.Threading.Volatile.Read(ref _acks);
        foreach (var id in pending?.Keys ?? [])
        {
            if (pending!.TryRemove(id, out var callback)) callback(null);
        }

        Log.Disconnected(Namespace.Server.Logger, Id, Namespace.Name, reason);
        Namespace.Server.Metrics.Disconnected(reason);
        RaiseDisconnect(Disconnected, reason);
    }

    private void RaiseDisconnect(Action<SocketIoSocket, DisconnectReason>? handler, DisconnectReason reason)
    {
        try
        {
            handler?.Invoke(this, reason);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Namespace.Server.Logger, Id, "disconnect", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Error, "A handler of event '{Event}' failed on socket {SocketId}.", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string socketId, string @event, Exception exception);

        [LoggerMessage(101, LogLevel.Debug, "Socket {SocketId}: a middleware refused event '{Event}': {Message}", EventName = "EventRefused")]
        public static partial void EventRefused(ILogger logger, string socketId, string @event, string message);

        [LoggerMessage(102, LogLevel.Debug, "Socket {SocketId}: acknowledgement {AckId} matches no pending emit; ignored.", EventName = "UnknownAck")]
        public static partial void UnknownAck(ILogger logger, string socketId, long ackId);

        [LoggerMessage(103, LogLevel.Debug, "Socket {SocketId} left namespace {Namespace}: {Reason}.", EventName = "SocketDisconnected")]
        public static partial void Disconnected(ILogger logger, string socketId, string @namespace, DisconnectReason reason);
    }
}
