using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using EngineIo;
using Microsoft.Extensions.Logging;
using SocketIo.AdminUi.Internal;

namespace SocketIo.AdminUi;

/// <summary>
/// A Socket.IO server instrumented for the admin UI (made by <see cref="SocketIoAdminUiExtensions.Instrument(SocketIoServer, AdminUiOptions, Microsoft.Extensions.Logging.ILoggerFactory?)"/>): the
/// admin namespace with its login, the statistics sent every 2 seconds, and in development mode the sockets, rooms
/// and events of every namespace as they happen. Everything is sent with the namespace's ordinary broadcasts, so with
/// a multi-node adapter every node instruments itself and a UI connected to any node sees them all.
/// </summary>
public sealed partial class AdminUiInstrumentation : IDisposable
{
    private readonly SocketIoServer _io;
    private readonly AdminUiOptions _options;
    private readonly IAdminUiSessionStore _sessions;
    private readonly AggregatedEvents _events;
    private readonly ILogger _logger;
    private readonly long _startTimestamp;
    private readonly double _uptimeAtStart;
    private readonly ITimer _statsTimer;
    private readonly TrafficFeed _traffic;
    private readonly Action<EngineSession> _onSessionOpened;
    private readonly Action<EngineSession, EngineCloseReason> _onSessionClosed;
    private readonly Action<SocketIoNamespace> _onNamespaceCreated;
    private int _disposed;

    internal AdminUiInstrumentation(SocketIoServer io, AdminUiOptions options, ILogger logger)
    {
        if (options.Auth is null && !options.AllowAnonymous)
            throw new ArgumentException("Set AdminUiOptions.Auth, or AllowAnonymous = true to let anyone in.", nameof(options));
        if (options.StatsInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "StatsInterval must be positive.");
        _io = io;
        _options = options;
        _logger = logger;
        _sessions = options.SessionStore ?? new InMemoryAdminUiSessionStore();
        _events = new AggregatedEvents(TimeProvider.System);
        ServerId = options.ServerId ?? $"{Environment.MachineName}#{Environment.ProcessId}";
        SupportedFeatures = AdminFeatures.For(options.ReadOnly, options.Mode);
        using (var process = Process.GetCurrentProcess())
            _uptimeAtStart = Math.Max(0, (DateTime.Now - process.StartTime).TotalSeconds);
        _startTimestamp = Stopwatch.GetTimestamp();

        Namespace = io.Of(options.NamespaceName);
        if (options.Auth is { } auth) Namespace.Use((socket, cancellationToken) => AuthenticateAsync(socket, auth, cancellationToken));
        Namespace.OnConnection(OnAdminConnectedAsync);

        _onSessionOpened = _ => _events.Add("rawConnection");
        _onSessionClosed = (_, reason) => _events.Add("rawDisconnection", EngineReason(reason));
        io.Engine.SessionOpened += _onSessionOpened;
        io.Engine.SessionClosed += _onSessionClosed;
        _traffic = new TrafficFeed(_events);

        _onNamespaceCreated = Watch;
        if (options.Mode == AdminUiMode.Development)
        {
            io.NamespaceCreated += _onNamespaceCreated;
            foreach (var nsp in io.Namespaces) Watch(nsp);
        }

        _statsTimer = TimeProvider.System.CreateTimer(_ => EmitStats(), null, TimeSpan.Zero, options.StatsInterval);
    }

    /// <summary>The admin namespace.</summary>
    public SocketIoNamespace Namespace { get; }

    /// <summary>This server's name in the UI.</summary>
    public string ServerId { get; }

    /// <summary>The features announced to the UI in its <c>config</c> event.</summary>
    public IReadOnlyList<string> SupportedFeatures { get; }

    /// <summary>Stops the statistics and every report to the admin namespace, which stays (with its login and commands).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _statsTimer.Dispose();
        _traffic.Dispose();
        _io.Engine.SessionOpened -= _onSessionOpened;
        _io.Engine.SessionClosed -= _onSessionClosed;
        _io.NamespaceCreated -= _onNamespaceCreated;
    }

    private static string Now() => AdminSnapshots.IsoTimestamp(DateTimeOffset.UtcNow);

    // ---- Login ------------------------------------------------------------------------------------------------

    private async ValueTask AuthenticateAsync(SocketIoSocket socket, AdminUiBasicAuthentication auth, CancellationToken cancellationToken)
    {
        var presented = socket.Handshake.Auth;
        if (presented.ValueKind == JsonValueKind.Object)
        {
            if (ReadString(presented, "sessionId") is { Length: > 0 } sessionId && await _sessions.ExistsAsync(sessionId, cancellationToken).ConfigureAwait(false))
                return;
            if (ReadString(presented, "username") == auth.Username && ReadString(presented, "password") is { } password
                // bcrypt is slow on purpose (tens of milliseconds): keep it off the thread reading the connection.
                && await Task.Run(() => BCrypt.Net.BCrypt.Verify(password, auth.PasswordHash), cancellationToken).ConfigureAwait(false))
            {
                var newSession = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                await _sessions.SaveAsync(newSession, cancellationToken).ConfigureAwait(false);
                // Sent before the CONNECT reply; the client holds it until it is connected, as with the npm package.
                socket.Emit("session", newSession);
                return;
            }
        }
        Log.LoginRefused(_logger, socket.Handshake.Address?.ToString());
        throw new ConnectionRefusedException("invalid credentials");
    }

    private static string? ReadString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ---- The admin sockets: configuration, the socket list, commands ------------------------------------------

    private async Task OnAdminConnectedAsync(SocketIoSocket admin)
    {
        if (!_options.ReadOnly) RegisterCommands(admin);
        admin.Emit("config", new Dictionary<string, object> { ["supportedFeatures"] = SupportedFeatures });
        if (_options.Mode == AdminUiMode.Development)
            admin.Emit("all_sockets", await FetchAllSocketsAsync(admin.DisconnectToken).ConfigureAwait(false));
    }

    /// <summary>Every socket of every namespace, through each namespace's adapter: cluster-wide when the adapter is.</summary>
    private async Task<List<Dictionary<string, object?>>> FetchAllSocketsAsync(CancellationToken cancellationToken)
    {
        var namespaces = _io.Namespaces.ToArray();
        var fetches = namespaces.Select(nsp => nsp.FetchSocketsAsync(cancellationToken).AsTask()).ToArray();
        var results = await Task.WhenAll(fetches).ConfigureAwait(false);
        var all = new List<Dictionary<string, object?>>();
        for (var i = 0; i < namespaces.Length; i++)
        {
            foreach (var socket in results[i]) all.Add(AdminSnapshots.Socket(socket, namespaces[i].Name, SocketData, RemoteData));
        }
        return all;
    }

    private void RegisterCommands(SocketIoSocket admin)
    {
        // emit(nsp, filter, event, ...args): to a room (or a socket id) of a namespace, or to all of it.
        admin.On("emit", e => Command(admin, "emit", () =>
        {
            if (Target(e.Args, filterIndex: 1) is not { } target) return;
            var eventName = e.Args.Get<string>(2) ?? throw new ArgumentException("no event name");
            target.Emit(eventName, e.Args.ToArray()[3..]);
        }));
        // join(nsp, room, filter) and leave(nsp, room, filter): the matching sockets join or leave a room.
        admin.On("join", e => Command(admin, "join", () =>
        {
            if (Target(e.Args, filterIndex: 2) is { } target && e.Args.Get<string>(1) is { } room) target.SocketsJoin(room);
        }));
        admin.On("leave", e => Command(admin, "leave", () =>
        {
            if (Target(e.Args, filterIndex: 2) is { } target && e.Args.Get<string>(1) is { } room) target.SocketsLeave(room);
        }));
        // _disconnect(nsp, close, filter)
        admin.On("_disconnect", e => Command(admin, "_disconnect", () =>
        {
            if (Target(e.Args, filterIndex: 2) is { } target) target.DisconnectSockets(e.Args.Count > 1 && e.Args[1].ValueKind == JsonValueKind.True);
        }));
    }

    /// <summary>
    /// The sockets a command acts on: argument 0 names the namespace, <paramref name="filterIndex"/> an optional room or
    /// socket id. Only existing namespaces: a UI must not create namespaces by naming them.
    /// </summary>
    private BroadcastOperator? Target(SocketIoArguments args, int filterIndex)
    {
        var name = args.Get<string>(0);
        var nsp = name is null ? null : _io.Namespaces.FirstOrDefault(n => n.Name == name);
        if (nsp is null) return null;
        var filter = args.Count > filterIndex && args[filterIndex].ValueKind == JsonValueKind.String ? args[filterIndex].GetString() : null;
        // No rooms targeted is the whole namespace.
        return string.IsNullOrEmpty(filter) ? nsp.To(Enumerable.Empty<string>()) : nsp.In(filter);
    }

    private void Command(SocketIoSocket admin, string name, Action run)
    {
        try
        {
            run();
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
        {
            // A malformed command (wrong types, a reserved event name) is the UI's mistake: log it and go on.
            Log.CommandRefused(_logger, name, admin.Id, ex.Message);
        }
    }

    // ---- Development mode: sockets, rooms and events as they happen --------------------------------------------

    private void Watch(SocketIoNamespace nsp)
    {
        nsp.SocketConnected += OnSocketConnected;
        nsp.Adapter.RoomJoined += (room, id) => Broadcast("room_joined", nsp.Name, room, id, Now());
        nsp.Adapter.RoomLeft += (room, id) => Broadcast("room_left", nsp.Name, room, id, Now());
    }

    private void OnSocketConnected(SocketIoSocket socket)
    {
        var nsp = socket.Namespace.Name;
        Broadcast("socket_connected", AdminSnapshots.Socket(socket, SocketData), Now());

        socket.DataChanged += s => Broadcast("socket_updated", new Dictionary<string, object?> { ["id"] = s.Id, ["nsp"] = nsp, ["data"] = SocketData(s) });
        Action<EngineSession, string> onUpgraded = (_, transport) =>
            Broadcast("socket_updated", new Dictionary<string, object?> { ["id"] = socket.Id, ["nsp"] = nsp, ["transport"] = transport });
        socket.Connection.Upgraded += onUpgraded;

        // The admin sockets' own traffic is not reported: it would feed itself.
        if (socket.Namespace != Namespace)
        {
            socket.OnAny((name, args) => Broadcast("event_received", nsp, socket.Id, (object?[])[name, .. args.ToArray()], Now()));
            socket.OnAnyOutgoing((name, args) => Broadcast("event_sent", nsp, socket.Id, (object?[])[name, .. args], Now()));
        }
        socket.Disconnected += (s, reason) =>
        {
            s.Connection.Upgraded -= onUpgraded;
            Broadcast("socket_disconnected", nsp, s.Id, reason.ToProtocolString(), Now());
        };
    }

    /// <summary>What the UI shows as the socket's data (see <see cref="AdminUiOptions.DataSelector"/>).</summary>
    private object SocketData(SocketIoSocket socket)
    {
        object? value;
        try
        {
            value = _options.DataSelector is { } select ? select(socket) : socket.Data;
        }
        catch (Exception ex)
        {
            Log.DataNotShown(_logger, socket.Id, ex);
            value = null;
        }
        var json = AdminSnapshots.Data(value, _io.Options.JsonSerializerOptions, out var error);
        if (error is not null) Log.DataNotShown(_logger, socket.Id, error);
        return json;
    }

    /// <summary>Another node's socket data, as its node sent it.</summary>
    private object RemoteData(object? value) => AdminSnapshots.Data(value, _io.Options.JsonSerializerOptions, out _);

    private void Broadcast(string eventName, params object?[] args)
    {
        if (Volatile.Read(ref _disposed) == 1) return;
        try
        {
            Namespace.Emit(eventName, args);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // A socket.Data the serializer cannot write must not break the application's own code path.
            Log.EmitFailed(_logger, eventName, ex);
        }
    }

    // ---- Statistics ---------------------------------------------------------------------------------------------

    private void EmitStats()
    {
        var (polling, _) = _io.Engine.CountByTransport();
        var namespaces = _io.Namespaces.Select(n => new Dictionary<string, object> { ["name"] = n.Name, ["socketsCount"] = n.Sockets.Count }).ToArray();
        Broadcast("server_stats", new Dictionary<string, object?>
        {
            ["serverId"] = ServerId,
            ["hostname"] = Environment.MachineName,
            ["pid"] = Environment.ProcessId,
            ["uptime"] = _uptimeAtStart + Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds,
            ["clientsCount"] = _io.Engine.ClientsCount,
            ["pollingClientsCount"] = polling,
            ["aggregatedEvents"] = _events.TakeAll().Select(e => new Dictionary<string, object?>
            {
                ["timestamp"] = e.Timestamp,
                ["type"] = e.Type,
                ["subType"] = e.SubType,
                ["count"] = e.Count,
            }).ToArray(),
            ["namespaces"] = namespaces,
        });
    }

    /// <summary>The engine.io close reasons, as the npm package reports them.</summary>
    private static string EngineReason(EngineCloseReason reason) => reason switch
    {
        EngineCloseReason.TransportClose => "transport close",
        EngineCloseReason.TransportError => "transport error",
        EngineCloseReason.PingTimeout => "ping timeout",
        EngineCloseReason.ParseError => "parse error",
        EngineCloseReason.ForcedClose => "forced close",
        EngineCloseReason.ServerShutdown => "server shutting down",
        _ => "transport error",
    };
}
