using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using EngineIo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Adapters;
using SocketIo.Internal;
using SocketIo.Internal.Parsing;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Serialization;

namespace SocketIo;

/// <summary>
/// A Socket.IO server: namespaces, their sockets and rooms, over an Engine.IO server. Register it with
/// <c>AddSocketIo</c> and expose it with <c>MapSocketIo</c>. The methods that are not namespace-specific act on
/// the main namespace <c>/</c>, as in the reference server.
/// </summary>
public sealed partial class SocketIoServer
{
    private readonly ConcurrentDictionary<string, SocketIoNamespace> _namespaces = new(StringComparer.Ordinal);
    private ImmutableArray<SocketIoNamespace> _dynamicParents = [];
    private readonly object _namespaceSync = new();
    private int _adaptersClosed;

    /// <summary>
    /// The name of the <see cref="Meter"/> of the Socket.IO instruments (<c>socketio.sockets</c>,
    /// <c>socketio.packets.sent</c>, ...): <c>dotnet-counters monitor --counters SocketIo,EngineIo</c>, or
    /// <c>AddMeter(SocketIoServer.MeterName, EngineIoServer.MeterName)</c> with OpenTelemetry.
    /// </summary>
    public const string MeterName = "SocketIo";

    /// <summary>Creates a server.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Where logs go; none by default.</param>
    /// <param name="timeProvider">The clock for heartbeats and timeouts; the system clock by default.</param>
    /// <param name="meterFactory">Creates the server's meters (the host's, from dependency injection); without one, they are created directly.</param>
    public SocketIoServer(SocketIoOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("SocketIo");
        TimeProvider = timeProvider ?? TimeProvider.System;
        Serializer = new PayloadSerializer(options.JsonSerializerOptions, options.PayloadSerializer);
        Parser = options.Parser.Implementation;
        DecoderLimits = new DecoderLimits { MaxAttachments = options.MaxAttachments };
        Metrics = new SocketIoMetrics(this, meterFactory);
        Engine = new EngineIoServer(options.Engine, new EngineHandler(this), loggerFactory, TimeProvider, meterFactory);
        AdapterFactory = options.AdapterFactory ?? (nsp => new InMemoryAdapter(nsp));
        MainNamespace = Of("/");
    }

    /// <summary>The server's options.</summary>
    public SocketIoOptions Options { get; }

    /// <summary>The Engine.IO server underneath.</summary>
    public EngineIoServer Engine { get; }

    /// <summary>The main namespace, <c>/</c>.</summary>
    public SocketIoNamespace MainNamespace { get; }

    /// <summary>
    /// Creates the adapter of each namespace: <see cref="SocketIoOptions.AdapterFactory"/> when set, else an
    /// <see cref="InMemoryAdapter"/>. Changing it affects only the namespaces created afterwards (the main namespace
    /// is created with the server: use <see cref="SocketIoOptions.AdapterFactory"/> for it).
    /// </summary>
    public Func<SocketIoNamespace, SocketIoAdapter> AdapterFactory { get; set; }

    /// <summary>The namespaces (static ones and the children of dynamic ones).</summary>
    public IReadOnlyCollection<SocketIoNamespace> Namespaces => _namespaces.Values.ToArray();

    internal ILogger Logger { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal TimeProvider TimeProvider { get; }

    internal PayloadSerializer Serializer { get; }

    internal IPacketParser Parser { get; }

    internal DecoderLimits DecoderLimits { get; }

    internal SocketIoMetrics Metrics { get; }

    /// <summary>The namespace called <paramref name="name"/>, created if needed.</summary>
    public SocketIoNamespace Of(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name[0] != '/') name = "/" + name;
        if (_namespaces.TryGetValue(name, out var existing)) return existing;
        SocketIoNamespace created;
        lock (_namespaceSync)
        {
            if (_namespaces.TryGetValue(name, out existing)) return existing;
            created = new SocketIoNamespace(this, name, null, null);
            _namespaces[name] = created;
        }
        RaiseNamespaceCreated(created);
        return created;
    }

    /// <summary>
    /// Raised when a namespace is created: by <see cref="Of(string)"/>, or as the child of a dynamic namespace when a
    /// client first connects to it (the reference server's <c>new_namespace</c> event). Not raised for the dynamic
    /// namespaces themselves, nor for <c>/</c>, which exists before anyone can subscribe.
    /// </summary>
    public event Action<SocketIoNamespace>? NamespaceCreated;

    private void RaiseNamespaceCreated(SocketIoNamespace created)
    {
        try
        {
            NamespaceCreated?.Invoke(created);
        }
        catch (Exception ex)
        {
            Log.NamespaceCreatedHandlerFailed(Logger, created.Name, ex);
        }
    }

    /// <summary>
    /// A dynamic namespace: any namespace whose name matches <paramref name="pattern"/> is created when a client
    /// first connects to it. Middlewares and connection handlers registered on the returned namespace apply to
    /// every such child.
    /// </summary>
    public SocketIoNamespace Of(Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Of((name, _) => pattern.IsMatch(name), pattern.ToString());
    }

    /// <summary>
    /// A dynamic namespace decided by <paramref name="predicate"/>, which gets the requested name and the
    /// client's CONNECT payload.
    /// </summary>
    public SocketIoNamespace Of(Func<string, JsonElement, bool> predicate, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var parent = new SocketIoNamespace(this, description ?? "dynamic namespace", null, predicate);
        ImmutableInterlocked.Update(ref _dynamicParents, list => list.Add(parent));
        return parent;
    }

    // ---- The main namespace's API, as in the reference ------------------------------------------------------

    /// <summary>Adds a middleware to the main namespace.</summary>
    public SocketIoServer Use(Func<SocketIoSocket, CancellationToken, ValueTask> middleware)
    {
        MainNamespace.Use(middleware);
        return this;
    }

    /// <summary>Registers a connection handler on the main namespace.</summary>
    public SocketIoServer OnConnection(Action<SocketIoSocket> handler)
    {
        MainNamespace.OnConnection(handler);
        return this;
    }

    /// <summary>Registers a connection handler on the main namespace.</summary>
    public SocketIoServer OnConnection(Func<SocketIoSocket, Task> handler)
    {
        MainNamespace.OnConnection(handler);
        return this;
    }

    /// <summary>Emits to every socket of the main namespace.</summary>
    public bool Emit(string eventName, params object?[] args) => MainNamespace.Emit(eventName, args);

    /// <summary>A broadcast to a room of the main namespace.</summary>
    public BroadcastOperator To(string room) => MainNamespace.To(room);

    /// <summary>A broadcast to rooms of the main namespace.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => MainNamespace.To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => MainNamespace.In(room);

    /// <summary>A broadcast to the main namespace except a room.</summary>
    public BroadcastOperator Except(string room) => MainNamespace.Except(room);

    /// <summary>A volatile broadcast on the main namespace.</summary>
    public BroadcastOperator Volatile => MainNamespace.Volatile;

    /// <summary>A broadcast to this node's sockets of the main namespace.</summary>
    public BroadcastOperator Local => MainNamespace.Local;

    /// <summary>A broadcast on the main namespace with compression allowed or not.</summary>
    public BroadcastOperator Compress(bool compress) => MainNamespace.Compress(compress);

    /// <summary>A broadcast on the main namespace whose acknowledgements time out.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => MainNamespace.Timeout(timeout);

    /// <summary>The sockets of the main namespace, on every node.</summary>
    public ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) => MainNamespace.FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket of the main namespace join rooms.</summary>
    public void SocketsJoin(params string[] rooms) => MainNamespace.SocketsJoin(rooms);

    /// <summary>Makes every socket of the main namespace leave rooms.</summary>
    public void SocketsLeave(params string[] rooms) => MainNamespace.SocketsLeave(rooms);

    /// <summary>Disconnects every socket of the main namespace.</summary>
    public void DisconnectSockets(bool close = false) => MainNamespace.DisconnectSockets(close);

    /// <summary>Makes every socket of the main namespace, on every node, join rooms.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => MainNamespace.SocketsJoinAsync(rooms);

    /// <summary>Makes every socket of the main namespace, on every node, leave rooms.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => MainNamespace.SocketsLeaveAsync(rooms);

    /// <summary>Disconnects every socket of the main namespace, on every node.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => MainNamespace.DisconnectSocketsAsync(close);

    /// <summary>Sends an event to the other server nodes.</summary>
    public void ServerSideEmit(string eventName, params object?[] args) => MainNamespace.ServerSideEmit(eventName, args);

    /// <summary>Sends an event to the other server nodes and returns their answers (see <see cref="SocketIoNamespace.ServerSideEmitWithAckAsync"/>).</summary>
    public Task<IReadOnlyList<SocketIoArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MainNamespace.ServerSideEmitWithAckAsync(eventName, args, timeout, cancellationToken);

    /// <summary>Handles a server-side event of the main namespace sent by another node; the returned value is the answer.</summary>
    public SocketIoServer OnServerSideEvent(string eventName, Func<SocketIoArguments, Task<object?>> handler)
    {
        MainNamespace.OnServerSideEvent(eventName, handler);
        return this;
    }

    /// <summary>Handles a server-side event of the main namespace sent by another node.</summary>
    public SocketIoServer OnServerSideEvent(string eventName, Action<SocketIoArguments> handler)
    {
        MainNamespace.OnServerSideEvent(eventName, handler);
        return this;
    }

    /// <summary>How many server nodes there are, this one included.</summary>
    public Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => MainNamespace.ServerCountAsync(cancellationToken);

    /// <summary>
    /// Shuts the server down gracefully, as the reference server's <c>close()</c> does: new handshakes are refused,
    /// every socket is disconnected with <see cref="DisconnectReason.ServerShuttingDown"/> (its disconnect handlers
    /// run), then every connection is closed the orderly way: what is queued for it is written first, a waiting poll
    /// is answered, and the client sees its transport close (and reconnects, to another node if there is one).
    /// Completes when every connection is closed; when <paramref name="cancellationToken"/> is cancelled first (the
    /// host's shutdown timeout), the connections still open are closed at once. Called automatically when the
    /// application stops; calling it again joins the shutdown under way.
    /// </summary>
    public Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (!Engine.IsShuttingDown)
        {
            Engine.RefuseNewSessions();
            foreach (var session in Engine.Sessions)
            {
                if (session.State is ClientConnection client) client.OnClosed(DisconnectReason.ServerShuttingDown);
            }
        }
        return CloseCoreAsync(cancellationToken);
    }

    // The adapters close after the connections, so that the goodbyes still queued reach their clients first.
    private async Task CloseCoreAsync(CancellationToken cancellationToken)
    {
        await Engine.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _adaptersClosed, 1) == 1) return;
        foreach (var nsp in _namespaces.Values)
        {
            try
            {
                await nsp.Adapter.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.AdapterCloseFailed(Logger, nsp.Name, ex);
            }
        }
    }

    internal SocketIoAdapter CreateAdapter(SocketIoNamespace nsp) => AdapterFactory(nsp);

    /// <summary>The namespace a client asks for: an existing one, or a new child of a matching dynamic namespace.</summary>
    internal SocketIoNamespace? ResolveNamespace(string name, JsonElement auth)
    {
        if (_namespaces.TryGetValue(name, out var existing)) return existing;
        foreach (var parent in _dynamicParents)
        {
            bool matches;
            try
            {
                matches = parent.Matcher!(name, auth);
            }
            catch (Exception ex)
            {
                Log.NamespaceMatcherFailed(Logger, name, ex);
                continue;
            }
            if (!matches) continue;
            SocketIoNamespace child;
            lock (_namespaceSync)
            {
                if (_namespaces.TryGetValue(name, out existing)) return existing;
                child = parent.CreateChild(name);
                _namespaces[name] = child;
            }
            RaiseNamespaceCreated(child);
            return child;
        }
        return null;
    }

    /// <summary>
    /// Forgets an empty child of a dynamic namespace (with <see cref="SocketIoOptions.CleanupEmptyChildNamespaces"/>)
    /// and closes its adapter, as the reference does; a client asking for it again gets a new one.
    /// </summary>
    internal void RemoveChildNamespace(SocketIoNamespace child)
    {
        lock (_namespaceSync)
        {
            if (child.SocketCount > 0 || !_namespaces.TryRemove(new KeyValuePair<string, SocketIoNamespace>(child.Name, child))) return;
            child.Parent?.RemoveChild(child);
        }
        _ = CloseAdapterAsync(child);
    }

    private async Task CloseAdapterAsync(SocketIoNamespace nsp)
    {
        try
        {
            await nsp.Adapter.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.AdapterCloseFailed(Logger, nsp.Name, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(131, LogLevel.Error, "The adapter of namespace {Namespace} failed to close.", EventName = "AdapterCloseFailed")]
        public static partial void AdapterCloseFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(130, LogLevel.Error, "A dynamic namespace rule failed for {Namespace}.", EventName = "NamespaceMatcherFailed")]
        public static partial void NamespaceMatcherFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(132, LogLevel.Error, "A NamespaceCreated handler failed for {Namespace}.", EventName = "NamespaceCreatedHandlerFailed")]
        public static partial void NamespaceCreatedHandlerFailed(ILogger logger, string @namespace, Exception exception);
    }

    /// <summary>Receives the engine's sessions: one <see cref="ClientConnection"/> each.</summary>
    private sealed class EngineHandler(SocketIoServer server) : IEngineIoHandler
    {
        public void OnOpened(EngineSession session)
        {
            var client = new EngineClientConnection(server, session);
            session.State = client;
            if (client.IsLegacyClient) client.ConnectMainNamespace();
        }

        public ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8)
        {
            ((ClientConnection)session.State!).OnText(utf8.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data)
        {
            ((ClientConnection)session.State!).OnBinary(data);
            return ValueTask.CompletedTask;
        }

        public void OnClosed(EngineSession session, EngineCloseReason reason, string? description)
        {
            if (session.State is not ClientConnection client) return;
            client.OnClosed(reason switch
            {
                EngineCloseReason.TransportClose => DisconnectReason.TransportClose,
                EngineCloseReason.TransportError => DisconnectReason.TransportError,
                EngineCloseReason.PingTimeout => DisconnectReason.PingTimeout,
                EngineCloseReason.ParseError => DisconnectReason.ParseError,
                EngineCloseReason.ForcedClose => DisconnectReason.ForcedClose,
                EngineCloseReason.ServerShutdown => DisconnectReason.ServerShuttingDown,
                EngineCloseReason.SlowConsumer => DisconnectReason.SlowConsumer,
                _ => DisconnectReason.TransportError,
            });
        }
    }
}
