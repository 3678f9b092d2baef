using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using EngineIo.Internal;
using Microsoft.Extensions.Logging;
using SocketIo.Adapters;
using SocketIo.Internal;
using SocketIo.Internal.Protocol;

namespace SocketIo;

/// <summary>
/// A namespace: a communication channel with its own sockets, middlewares, rooms and handlers, multiplexed over
/// the clients' connections. The main namespace is <c>/</c>.
/// </summary>
public sealed partial class SocketIoNamespace
{
    private readonly ConcurrentDictionary<string, SocketIoSocket> _sockets = new(StringComparer.Ordinal);
    private ImmutableArray<Func<SocketIoSocket, CancellationToken, ValueTask>> _middlewares = [];
    private ImmutableArray<Func<SocketIoSocket, Task>> _connectionHandlers = [];
    // A set, not an immutable array: adding a child must not copy the others (a dynamic namespace may have many).
    private readonly ConcurrentDictionary<SocketIoNamespace, byte> _children = new(ReferenceEqualityComparer.Instance);
    private ImmutableDictionary<string, Func<SocketIoArguments, Task<object?>>> _serverSideHandlers = ImmutableDictionary.Create<string, Func<SocketIoArguments, Task<object?>>>(StringComparer.Ordinal);
    private long _lastAckId = -1;

    internal SocketIoNamespace(SocketIoServer server, string name, SocketIoNamespace? parent, Func<string, JsonElement, bool>? matcher)
    {
        Server = server;
        Name = name;
        Parent = parent;
        Matcher = matcher;
        Adapter = server.CreateAdapter(this);
    }

    /// <summary>The namespace name, such as <c>/</c> or <c>/admin</c> (for a dynamic parent, a description of its rule).</summary>
    public string Name { get; }

    /// <summary>The server.</summary>
    public SocketIoServer Server { get; }

    /// <summary>The adapter keeping this namespace's rooms.</summary>
    public SocketIoAdapter Adapter { get; }

    /// <summary>For a child of a dynamic namespace, the dynamic namespace that created it.</summary>
    public SocketIoNamespace? Parent { get; }

    /// <summary>The connected sockets (a snapshot).</summary>
    public IReadOnlyCollection<SocketIoSocket> Sockets => _sockets.Values.ToArray();

    /// <summary>The child namespaces a dynamic namespace created (a snapshot).</summary>
    public IReadOnlyList<SocketIoNamespace> Children => _children.Keys.ToArray();

    internal Func<string, JsonElement, bool>? Matcher { get; }

    // Read when the sockets gauge is collected.
    internal int SocketCount => _sockets.Count;

    /// <summary>Finds a connected socket by id.</summary>
    public bool TryGetSocket(string id, out SocketIoSocket socket) => _sockets.TryGetValue(id, out socket!);

    /// <summary>
    /// Adds a middleware run for every socket before it connects. Throw <see cref="ConnectionRefusedException"/>
    /// to refuse it: the client's <c>connect_error</c> gets its message and data. Any other exception refuses it
    /// too, as "Internal server error", and is logged.
    /// </summary>
    public SocketIoNamespace Use(Func<SocketIoSocket, CancellationToken, ValueTask> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ImmutableInterlocked.Update(ref _middlewares, list => list.Add(middleware));
        return this;
    }

    /// <summary>Registers a handler for every socket that connects (the reference's <c>connection</c> event).</summary>
    public SocketIoNamespace OnConnection(Func<SocketIoSocket, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _connectionHandlers, list => list.Add(handler));
        return this;
    }

    /// <summary>
    /// Raised when a socket of this namespace has connected (it is in its own room, its client has the CONNECT reply),
    /// before any connection handler runs, as a listener the reference adds with <c>prependListener("connection")</c>.
    /// For observers (such as the admin UI) that must see a socket before the application's handlers emit to it. Raised
    /// only for this namespace: a dynamic namespace's children raise their own (see
    /// <see cref="SocketIoServer.NamespaceCreated"/>). Handlers must be quick; an exception is logged.
    /// </summary>
    public event Action<SocketIoSocket>? SocketConnected;

    /// <summary>Registers a handler for every socket that connects.</summary>
    public SocketIoNamespace OnConnection(Action<SocketIoSocket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnConnection(socket =>
        {
            handler(socket);
            return Task.CompletedTask;
        });
    }

    // ---- Broadcasting ---------------------------------------------------------------------------------------

    /// <summary>Emits an event to every socket of the namespace.</summary>
    public bool Emit(string eventName, params object?[] args) => All.Emit(eventName, args);

    /// <summary>A broadcast to the sockets in <paramref name="room"/>.</summary>
    public BroadcastOperator To(string room) => All.To(room);

    /// <summary>A broadcast to the sockets in any of <paramref name="rooms"/>.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => All.To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => All.To(room);

    /// <summary>A broadcast to every socket except those in <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => All.Except(room);

    /// <summary>A broadcast whose packets are dropped for clients that cannot take them right now.</summary>
    public BroadcastOperator Volatile => All.Volatile;

    /// <summary>A broadcast to this node's sockets only.</summary>
    public BroadcastOperator Local => All.Local;

    /// <summary>A broadcast with compression allowed or not.</summary>
    public BroadcastOperator Compress(bool compress) => All.Compress(compress);

    /// <summary>A broadcast whose acknowledgements time out after <paramref name="timeout"/>.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => All.Timeout(timeout);

    /// <summary>Every socket of the namespace, on every node of the cluster.</summary>
    public ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) => All.FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket join <paramref name="rooms"/> (without waiting for other nodes; see <see cref="SocketsJoinAsync"/>).</summary>
    public void SocketsJoin(params string[] rooms) => All.SocketsJoin(rooms);

    /// <summary>Makes every socket, on every node, join <paramref name="rooms"/>.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => All.SocketsJoinAsync(rooms);

    /// <summary>Makes every socket leave <paramref name="rooms"/> (without waiting for other nodes; see <see cref="SocketsLeaveAsync"/>).</summary>
    public void SocketsLeave(params string[] rooms) => All.SocketsLeave(rooms);

    /// <summary>Makes every socket, on every node, leave <paramref name="rooms"/>.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => All.SocketsLeaveAsync(rooms);

    /// <summary>Disconnects every socket; with <paramref name="close"/>, closes their connections (without waiting for other nodes).</summary>
    public void DisconnectSockets(bool close = false) => All.DisconnectSockets(close);

    /// <summary>Disconnects every socket, on every node; with <paramref name="close"/>, closes their connections.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => All.DisconnectSocketsAsync(close);

    /// <summary>
    /// Sends an event to this namespace on the other server nodes (none with the in-memory adapter), where the
    /// handlers registered with <see cref="OnServerSideEvent(string, Func{SocketIoArguments, Task{object}})"/> run.
    /// </summary>
    public void ServerSideEmit(string eventName, params object?[] args)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        Forget(Adapter.ServerSideEmitAsync(eventName, args), "serverSideEmit");
    }

    /// <summary>
    /// Sends an event to this namespace on every other server node and returns each node's answer. When a node does
    /// not answer within <paramref name="timeout"/> (default: the adapter's request timeout), throws
    /// <see cref="SocketIoAckTimeoutException"/> carrying the answers received.
    /// </summary>
    public Task<IReadOnlyList<SocketIoArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        return Adapter.ServerSideEmitWithAckAsync(eventName, args, timeout ?? DefaultServerSideTimeout, cancellationToken);
    }

    /// <summary>
    /// Handles a server-side event other nodes send with <see cref="ServerSideEmit"/> or
    /// <see cref="ServerSideEmitWithAckAsync"/>; the value the handler returns is the answer. One handler per event
    /// name: a new one replaces the old.
    /// </summary>
    public SocketIoNamespace OnServerSideEvent(string eventName, Func<SocketIoArguments, Task<object?>> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _serverSideHandlers, map => map.SetItem(eventName, handler));
        return this;
    }

    /// <summary>Handles a server-side event other nodes send; the answer, if one is asked for, is null.</summary>
    public SocketIoNamespace OnServerSideEvent(string eventName, Action<SocketIoArguments> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnServerSideEvent(eventName, args =>
        {
            handler(args);
            return Task.FromResult<object?>(null);
        });
    }

    /// <summary>How many server nodes serve this namespace, this one included.</summary>
    public Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => Adapter.ServerCountAsync(cancellationToken).AsTask();

    private BroadcastOperator All => BroadcastOperator.Create(this);

    // What the reference's adapters wait for a server-side answer by default (requestsTimeout).
    private static readonly TimeSpan DefaultServerSideTimeout = TimeSpan.FromSeconds(5);

    internal long NextAckId() => Interlocked.Increment(ref _lastAckId);

    internal bool TryHandleServerSideEvent(string eventName, SocketIoArguments args, out Task<object?> answer)
    {
        if (!_serverSideHandlers.TryGetValue(eventName, out var handler))
        {
            answer = Task.FromResult<object?>(null);
            return false;
        }
        try
        {
            answer = handler(args);
        }
        catch (Exception ex)
        {
            answer = Task.FromException<object?>(ex);
        }
        answer.ContinueWith(static (task, state) => Log.ServerSideHandlerFailed(((SocketIoNamespace)state!).Server.Logger, ((SocketIoNamespace)state!).Name, task.Exception!),
            this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>Runs a cluster operation nobody awaits: its failure is logged, never lost.</summary>
    internal void Forget(ValueTask operation, string name)
    {
        if (operation.IsCompletedSuccessfully) return;
        _ = ObserveAsync(operation, name);
    }

    private async Task ObserveAsync(ValueTask operation, string name)
    {
        try
        {
            await operation.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ClusterOperationFailed(Server.Logger, Name, name, ex);
        }
    }

    internal void Broadcast(string eventName, object?[] args, BroadcastOptions options)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        if (Matcher is not null)
        {
            // A dynamic namespace broadcasts through each of its children.
            foreach (var (child, _) in _children) child.Broadcast(eventName, args, options);
            return;
        }
        Adapter.Broadcast(new AdapterPacket(Encode(eventName, args, ackId: null)), options);
    }

    internal async Task<IReadOnlyList<SocketIoArguments>> BroadcastWithAckAsync(string eventName, object?[] args, BroadcastOptions options, CancellationToken cancellationToken)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        var packet = new AdapterPacket(Encode(eventName, args, NextAckId()));
        var sync = new object();
        var responses = new List<SocketIoArguments>();
        var expectedClients = 0;
        var reportedServers = 0;
        // Unknown until the adapter says how many nodes there are; every node then reports its client count once.
        var expectedServers = -1;
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void CheckComplete()
        {
            if (expectedServers >= 0 && reportedServers >= expectedServers && responses.Count >= expectedClients) completion.TrySetResult();
        }

        using var expired = new CancellationTokenSource();
        try
        {
            Adapter.BroadcastWithAck(packet, options,
                count =>
                {
                    lock (sync)
                    {
                        expectedClients += count;
                        reportedServers++;
                        CheckComplete();
                    }
                },
                response =>
                {
                    lock (sync)
                    {
                        // A recipient that disconnects will never answer: it no longer counts.
                        if (response is null) expectedClients--;
                        else responses.Add(response);
                        CheckComplete();
                    }
                },
                expired.Token);

            var servers = options.Local ? 1 : await Adapter.ServerCountAsync(cancellationToken).ConfigureAwait(false);
            lock (sync)
            {
                expectedServers = servers;
                CheckComplete();
            }

            var wait = completion.Task;
            if (options.Timeout is { } timeout) wait = wait.WaitAsync(timeout, Server.TimeProvider, cancellationToken);
            else if (cancellationToken.CanBeCanceled) wait = wait.WaitAsync(cancellationToken);
            await wait.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (sync)
            {
                // One per recipient, of any node, that did not answer in time.
                Server.Metrics.AckTimedOut(Math.Max(0, expectedClients - responses.Count));
                throw new SocketIoAckTimeoutException(responses.ToArray());
            }
        }
        finally
        {
            // Acknowledgements still pending are dropped: nobody waits for them any more.
            expired.Cancel();
        }
        lock (sync) return responses.ToArray();
    }

    private SocketIoPacket Encode(string eventName, object?[] args, long? ackId)
    {
        var (json, attachments) = Server.Serializer.SerializeArray(eventName, args);
        var type = attachments.Count > 0 ? PacketType.BinaryEvent : PacketType.Event;
        return new SocketIoPacket(type, Name, ackId, json, attachments);
    }

    // ---- Connecting -----------------------------------------------------------------------------------------

    internal SocketIoNamespace CreateChild(string name)
    {
        var child = new SocketIoNamespace(Server, name, this, matcher: null);
        _children.TryAdd(child, 0);
        return child;
    }

    internal void RemoveChild(SocketIoNamespace child) => _children.TryRemove(child, out _);

    /// <summary>
    /// Resumes the client's earlier session if it asks for one that can be recovered, runs the middlewares (unless
    /// the session was resumed and they are skipped), then connects its socket or refuses it.
    /// </summary>
    internal async Task ConnectAsync(ClientConnection client, JsonElement auth)
    {
        var handshake = new SocketIoHandshake(client.Request, auth);
        var recovery = Server.Options.ConnectionStateRecovery;
        var restored = recovery is null ? null : await TryRestoreAsync(auth, client.Closed).ConfigureAwait(false);
        SocketIoSocket socket;
        if (restored is null)
        {
            socket = new SocketIoSocket(this, client, client.NewSocketId(Name), handshake, recovery is null ? null : SessionIdGenerator.Next());
        }
        else
        {
            var session = restored.Session;
            socket = new SocketIoSocket(this, client, session.SocketId, handshake, session.PrivateId) { Data = session.Data, Recovered = true };
        }

        var accepted = restored is not null && recovery!.SkipMiddlewares || await RunMiddlewaresAsync(socket, client).ConfigureAwait(false);
        if (!accepted || !client.TryAttach(socket))
        {
            // The session was taken for this attempt: it goes back, unchanged, for the client's next one.
            if (restored is not null) KeepSession(restored.Session);
            return;
        }
        _sockets[socket.Id] = socket;
        // A 2.x client expects a bare CONNECT: it knows its socket id already.
        var reply = client.IsLegacyClient ? [] : EncodeConnectReply(socket.Id, socket.PrivateId);
        if (restored is null) socket.OnConnect(reply);
        else Adapter.ConnectRestored(socket, restored, reply);
        Log.Connected(Server.Logger, socket.Id, Name);

        // Every handler is started before any is awaited, as the reference's "connection" listeners all run at
        // once: a handler awaiting something must not keep the next one from registering its event handlers.
        if (SocketConnected is { } observers)
        {
            try
            {
                observers(socket);
            }
            catch (Exception ex)
            {
                Log.ConnectionHandlerFailed(Server.Logger, Name, ex);
            }
        }
        var handlers = Parent is null ? _connectionHandlers : Parent._connectionHandlers.AddRange(_connectionHandlers);
        var running = new List<Task>(handlers.Length);
        foreach (var handler in handlers)
        {
            try
            {
                running.Add(handler(socket));
            }
            catch (Exception ex)
            {
                Log.ConnectionHandlerFailed(Server.Logger, Name, ex);
            }
        }
        socket.MarkReady();

        foreach (var task in running)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ConnectionHandlerFailed(Server.Logger, Name, ex);
            }
        }
    }

    /// <summary>The session the CONNECT payload asks to resume (its <c>pid</c> and <c>offset</c>), if the adapter can restore it.</summary>
    private async ValueTask<RestoredSession?> TryRestoreAsync(JsonElement auth, CancellationToken cancellationToken)
    {
        if (auth.ValueKind != JsonValueKind.Object
            || !auth.TryGetProperty("pid", out var pid) || pid.ValueKind != JsonValueKind.String
            || !auth.TryGetProperty("offset", out var offset) || offset.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            return await Adapter.RestoreSessionAsync(pid.GetString()!, offset.GetString()!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // As in the reference: a store that fails means a new session, not a refused connection.
            Log.RestoreFailed(Server.Logger, Name, ex);
            return null;
        }
        catch (OperationCanceledException)
        {
            // The client left; the attach below fails and nothing is connected.
            return null;
        }
    }

    /// <summary>Runs the namespace middlewares (a dynamic child's parent's first); false when one refused the socket or the client left.</summary>
    private async Task<bool> RunMiddlewaresAsync(SocketIoSocket socket, ClientConnection client)
    {
        var middlewares = Parent is null ? _middlewares : Parent._middlewares.AddRange(_middlewares);
        try
        {
            foreach (var middleware in middlewares) await middleware(socket, client.Closed).ConfigureAwait(false);
            return true;
        }
        catch (ConnectionRefusedException refusal)
        {
            Log.ConnectionRefused(Server.Logger, Name, refusal.Message);
            client.SendConnectError(Name, refusal.Message, refusal.ErrorData);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !client.Closed.IsCancellationRequested)
        {
            Log.MiddlewareFailed(Server.Logger, Name, ex);
            client.SendConnectError(Name, "Internal server error", null);
            return false;
        }
        catch (OperationCanceledException)
        {
            // The client left while a middleware was running.
            return false;
        }
    }

    /// <summary>Hands a session to the adapter for recovery.</summary>
    internal void KeepSession(PersistedSession session)
    {
        try
        {
            Adapter.PersistSession(session);
        }
        catch (Exception ex)
        {
            // A failing store costs this client its recovery, nothing more.
            Log.PersistFailed(Server.Logger, Name, session.SocketId, ex);
        }
    }

    /// <summary>The CONNECT reply's payload: <c>{"sid":…}</c>, with <c>"pid":…</c> when connection state recovery is on.</summary>
    private static byte[] EncodeConnectReply(string socketId, string? privateId)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sid"u8, socketId);
            if (privateId is not null) writer.WriteString("pid"u8, privateId);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    internal void Remove(SocketIoSocket socket)
    {
        _sockets.TryRemove(new KeyValuePair<string, SocketIoSocket>(socket.Id, socket));
        if (Parent is not null && Server.Options.CleanupEmptyChildNamespaces && _sockets.IsEmpty) Server.RemoveChildNamespace(this);
    }

    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Debug, "A connection to namespace {Namespace} was refused: {Message}", EventName = "ConnectionRefused")]
        public static partial void ConnectionRefused(ILogger logger, string @namespace, string message);

        [LoggerMessage(111, LogLevel.Error, "A middleware of namespace {Namespace} failed.", EventName = "MiddlewareFailed")]
        public static partial void MiddlewareFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(112, LogLevel.Error, "A connection handler of namespace {Namespace} failed.", EventName = "ConnectionHandlerFailed")]
        public static partial void ConnectionHandlerFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(113, LogLevel.Debug, "Socket {SocketId} connected to namespace {Namespace}.", EventName = "SocketConnected")]
        public static partial void Connected(ILogger logger, string socketId, string @namespace);

        [LoggerMessage(114, LogLevel.Error, "Namespace {Namespace}: the adapter failed to restore a session; the client gets a new one.", EventName = "RestoreSessionFailed")]
        public static partial void RestoreFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(115, LogLevel.Error, "Namespace {Namespace}: the adapter failed to keep the session of socket {SocketId} for recovery.", EventName = "PersistSessionFailed")]
        public static partial void PersistFailed(ILogger logger, string @namespace, string socketId, Exception exception);

        [LoggerMessage(116, LogLevel.Error, "Namespace {Namespace}: a server-side event handler failed.", EventName = "ServerSideHandlerFailed")]
        public static partial void ServerSideHandlerFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(117, LogLevel.Error, "Namespace {Namespace}: the adapter failed a cluster-wide {Operation}.", EventName = "ClusterOperationFailed")]
        public static partial void ClusterOperationFailed(ILogger logger, string @namespace, string operation, Exception exception);
    }
}
