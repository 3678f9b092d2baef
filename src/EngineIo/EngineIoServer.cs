using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Net.WebSockets;
using EngineIo.Internal;
using EngineIo.Internal.Direct;
using EngineIo.Internal.Transports;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Net.Http.Headers;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace EngineIo;

/// <summary>
/// An Engine.IO server: validates requests, opens sessions and routes each request to its session's transport.
/// Host it with <c>MapEngineIo</c>, or call <see cref="HandleRequestAsync"/> from your own endpoint.
/// </summary>
public sealed partial class EngineIoServer
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITimer> _closedByClient = new(StringComparer.Ordinal);

    // How long the poll that races a client's close packet still gets a clean answer.
    private static readonly TimeSpan ClosedSessionGrace = TimeSpan.FromSeconds(5);
    private readonly RequestDelegate _pipeline;
    private readonly CorsPolicy? _corsPolicy;
    private readonly CorsService? _corsService;
    private readonly WebSocketAcceptContext _acceptContext;
    private readonly byte[] _pollingUpgrades;
    private int _shuttingDown;
    private int _closingSessions;
    // Completed once shutdown has begun and the last session is gone.
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The name of the <see cref="Meter"/> of the engine's instruments (<c>engineio.connections</c>,
    /// <c>engineio.handshakes</c>, ...): <c>dotnet-counters monitor --counters EngineIo</c>, or
    /// <c>AddMeter(EngineIoServer.MeterName)</c> with OpenTelemetry.
    /// </summary>
    public const string MeterName = "EngineIo";

    /// <summary>Creates a server.</summary>
    /// <param name="options">The options; they must not change once the server runs.</param>
    /// <param name="handler">The layer that receives sessions and messages.</param>
    /// <param name="loggerFactory">Where logs go; none by default.</param>
    /// <param name="timeProvider">The clock for heartbeats and timeouts; the system clock by default.</param>
    /// <param name="meterFactory">
    /// Creates the server's <see cref="Meter"/> (the host's, from dependency injection); without one, the meter is
    /// created directly.
    /// </param>
    public EngineIoServer(EngineIoOptions options, IEngineIoHandler handler, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        Options = options;
        Handler = handler;
        loggerFactory ??= NullLoggerFactory.Instance;
        Logger = loggerFactory.CreateLogger("EngineIo");
        TimeProvider = timeProvider ?? TimeProvider.System;
        Metrics = new EngineIoMetrics(this, meterFactory);

        if (options.Cors is { } cors)
        {
            _corsPolicy = BuildCorsPolicy(cors);
            _corsService = new CorsService(MsOptions.Create(new CorsOptions()), loggerFactory);
        }

        _acceptContext = new WebSocketAcceptContext
        {
            DangerousEnableCompression = options.PerMessageDeflate is not null,
            DisableServerContextTakeover = !(options.PerMessageDeflate?.ServerContextTakeover ?? false),
        };
        _pollingUpgrades = options.AllowUpgrades && options.Transports.HasFlag(EngineIoTransports.WebSocket) ? "[\"websocket\"]"u8.ToArray() : "[]"u8.ToArray();

        // The WebSocket middleware is run inline, so that hosting the engine does not require app.UseWebSockets();
        // when the application did add it, the middleware sees its feature and steps aside. Keep-alive pings are off:
        // the Engine.IO heartbeat already does that job.
        var webSockets = new WebSocketMiddleware(HandleCoreAsync, MsOptions.Create(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero }), loggerFactory);
        _pipeline = webSockets.Invoke;
    }

    /// <summary>The server's options.</summary>
    public EngineIoOptions Options { get; }

    /// <summary>The number of open sessions.</summary>
    public int ClientsCount => _sessions.Count;

    /// <summary>The open sessions, as a snapshot.</summary>
    public IReadOnlyCollection<EngineSession> Sessions => _sessions.Values.ToArray();

    /// <summary>
    /// Counts the open sessions by current transport (a walk over the sessions, meant for periodic statistics such
    /// as the admin UI's, not for a hot path).
    /// </summary>
    public (int Polling, int WebSocket) CountByTransport()
    {
        var polling = 0;
        var webSocket = 0;
        foreach (var (_, session) in _sessions)
        {
            if (session.TransportName == "polling") polling++;
            else webSocket++;
        }
        return (polling, webSocket);
    }

    /// <summary>
    /// Raised when a session opens, after the handler's <see cref="IEngineIoHandler.OnOpened"/>: the reference engine's
    /// <c>connection</c> event, for observers such as statistics. Handlers must be quick and must not throw.
    /// </summary>
    public event Action<EngineSession>? SessionOpened;

    /// <summary>
    /// Raised when a session closes, after the handler's <see cref="IEngineIoHandler.OnClosed"/>, with the reason (the
    /// reference socket's <c>close</c> event). Handlers must be quick and must not throw.
    /// </summary>
    public event Action<EngineSession, EngineCloseReason>? SessionClosed;

    internal void RaiseSessionClosed(EngineSession session, EngineCloseReason reason)
    {
        try
        {
            SessionClosed?.Invoke(session, reason);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, session.Id, ex);
        }
    }

    internal IEngineIoHandler Handler { get; }

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider { get; }

    internal EngineIoMetrics Metrics { get; }

    /// <summary>Whether <see cref="ShutdownAsync"/> or <see cref="Shutdown"/> has begun: new handshakes are refused.</summary>
    public bool IsShuttingDown => Volatile.Read(ref _shuttingDown) == 1;
    /// <summary>What the protection against slow consumers did (volatile drops, sessions cut).</summary>
    internal EngineStatistics Statistics { get; } = new();

    /// <summary>Finds an open session by id.</summary>
    public bool TryGetSession(string sid, out EngineSession session) => _sessions.TryGetValue(sid, out session!);

    /// <summary>Handles one Engine.IO HTTP request (polling GET or POST, or a WebSocket upgrade).</summary>
    public Task HandleRequestAsync(HttpContext context) => _pipeline(context);

    /// <summary>
    /// Closes every session at once with <see cref="EngineCloseReason.ServerShutdown"/> and refuses new ones; what
    /// is still queued is dropped. Waiting polls are answered with a close packet and WebSockets get a close frame.
    /// <see cref="ShutdownAsync"/> is the graceful way.
    /// </summary>
    public void Shutdown()
    {
        Interlocked.Exchange(ref _shuttingDown, 1);
        foreach (var session in _sessions.Values) session.CloseCore(EngineCloseReason.ServerShutdown, "server shutdown");
        if (_sessions.IsEmpty) _drained.TrySetResult();
    }

    /// <summary>
    /// Shuts down gracefully: refuses new handshakes (HTTP 503), then closes every session with
    /// <see cref="EngineCloseReason.ServerShutdown"/> the orderly way: each one is sent what is queued for it, then a
    /// close packet (a waiting poll is answered with them; a polling client without one gets them on its next GET),
    /// then its transport is closed. Completes when every session is closed. When <paramref name="cancellationToken"/>
    /// is cancelled first (the host's shutdown timeout), the sessions still open are closed at once, as by
    /// <see cref="Shutdown"/>. Calling it again joins the shutdown under way.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        BeginShutdown();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of time: whatever is still open is cut now, so that the host can finish stopping.
            Log.ShutdownForced(Logger, _sessions.Count);
            Shutdown();
        }
    }

    /// <summary>Refuses new handshakes from now on (the first step of a shutdown); the open sessions go on.</summary>
    internal void RefuseNewSessions() => Interlocked.Exchange(ref _shuttingDown, 1);

    /// <summary>Refuses new handshakes from now on and starts the orderly close of every session; once only.</summary>
    private void BeginShutdown()
    {
        RefuseNewSessions();
        if (Interlocked.Exchange(ref _closingSessions, 1) == 1) return;
        Log.ShuttingDown(Logger, _sessions.Count);
        foreach (var session in _sessions.Values) session.Close(EngineCloseReason.ServerShutdown);
        if (_sessions.IsEmpty) _drained.TrySetResult();
    }

    /// <summary>Remembers, for a few seconds, that the client itself closed a polling session that had no GET waiting.</summary>
    internal void RememberClientClose(string sid)
    {
        var timer = TimeProvider.CreateTimer(
            static state =>
            {
                var (server, id) = ((EngineIoServer, string))state!;
                if (server._closedByClient.TryRemove(id, out var expired)) expired.Dispose();
            },
            (this, sid), ClosedSessionGrace, Timeout.InfiniteTimeSpan);
        if (!_closedByClient.TryAdd(sid, timer)) timer.Dispose();
    }

    internal void Remove(EngineSession session)
    {
        _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));
        if (_sessions.IsEmpty && Volatile.Read(ref _shuttingDown) == 1) _drained.TrySetResult();
    }

    // Not async: a WebSocket session's request lasts as long as the session, and every async method still awaiting on
    // that path keeps a state machine per connection. The checks below are synchronous, so each branch hands back the
    // task of the method that finishes the request.
    private Task HandleCoreAsync(HttpContext context)
    {
        if (_corsPolicy is not null && ApplyCors(context)) return Task.CompletedTask;

        var request = EngineRequest.Parse(context);

        if ((request.Transport & Options.Transports) == EngineIoTransports.None)
            return RefuseAsync(context, EngineErrorCode.UnknownTransport, "unknown transport");

        if (HasInvalidOrigin(context))
            return RefuseAsync(context, EngineErrorCode.BadRequest, "invalid origin header");

        if (request.IsWebSocketUpgrade != (request.Transport == EngineIoTransports.WebSocket))
        {
            // A WebSocket request must upgrade, and an upgrade must be to the WebSocket transport.
            return RefuseAsync(context, EngineErrorCode.BadRequest, "transport does not match the request");
        }

        if (request.Sid is { } sid) return HandleSessionRequestAsync(context, request, sid);

        if (!HttpMethods.IsGet(context.Request.Method))
            return RefuseAsync(context, EngineErrorCode.BadHandshakeMethod, "handshake must be a GET");

        if (Volatile.Read(ref _shuttingDown) == 1)
        {
            // As a Node server that stopped listening would, in HTTP terms: the client retries later (elsewhere).
            Metrics.HandshakeRefused();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }

        return Options.AllowRequest is null ? HandshakeIfSupportedAsync(context, request) : HandshakeIfAllowedAsync(context, request);
    }

    private async Task HandshakeIfAllowedAsync(HttpContext context, EngineRequest request)
    {
        var verdict = await Options.AllowRequest!(context).ConfigureAwait(false);
        if (!verdict.IsAllowed)
        {
            Log.RequestRefused(Logger, (int)EngineErrorCode.Forbidden, "denied by AllowRequest");
            await EngineResponses.WriteErrorAsync(context, EngineErrorCode.Forbidden, verdict.Message).ConfigureAwait(false);
            return;
        }
        await HandshakeIfSupportedAsync(context, request).ConfigureAwait(false);
    }

    private Task HandshakeIfSupportedAsync(HttpContext context, EngineRequest request)
    {
        if (request.Protocol is not { } protocol || (protocol == 3 && !Options.AllowEIO3))
            return RefuseAsync(context, EngineErrorCode.UnsupportedProtocolVersion, "unsupported protocol version");
        return HandshakeAsync(context, request, protocol);
    }

    private Task HandleSessionRequestAsync(HttpContext context, EngineRequest request, string sid)
    {
        // A session whose heartbeat deadline passed is timed out now, even if its timer is running late.
        if (!_sessions.TryGetValue(sid, out var session) || session.CloseIfHeartbeatOverdue())
        {
            if (request.Transport == EngineIoTransports.Polling && HttpMethods.IsGet(context.Request.Method) && _closedByClient.TryRemove(sid, out var grace))
            {
                // The client closed this session with a POST while its GET was on the way: end that GET the way it
                // would have ended had it arrived first, with a noop, rather than with an error.
                grace.Dispose();
                return PollingTransport.WriteNoopAsync(context, request.Protocol ?? 4);
            }
            return RefuseAsync(context, EngineErrorCode.UnknownSid, "unknown sid");
        }

        if (request.IsWebSocketUpgrade) return UpgradeAsync(context, session, request.Base64Only);

        // A plain HTTP request must use the session's current transport: after an upgrade, polling is over.
        if (session.CurrentTransport is PollingTransport polling && request.Transport == EngineIoTransports.Polling)
            return polling.HandleRequestAsync(context);

        return RefuseAsync(context, EngineErrorCode.BadRequest, "transport mismatch");
    }

    private async Task HandshakeAsync(HttpContext context, EngineRequest request, int protocol)
    {
        var id = SessionIdGenerator.Next();
        var session = new EngineSession(this, id, protocol, new EngineRequestInfo(context, TimeProvider.GetUtcNow()));
        if (Options.Cookie is { } cookie) context.Response.Cookies.Append(cookie.Name, id, ToCookieOptions(cookie));

        if (request.Transport == EngineIoTransports.WebSocket)
        {
            if (context.Features.Get<WebSocketHandoff>() is { IsOpen: true } handoff && ConnectionWebSocketAccept.CanHandOff(context, _acceptContext.DangerousEnableCompression))
            {
                // The connection middleware runs the session once this request has ended (see WebSocketHandoff).
                await ConnectionWebSocketAccept.WriteSwitchingProtocolsAsync(context).ConfigureAwait(false);
                handoff.HandOver(session, request.Base64Only);
                return;
            }
            var socket = await AcceptWebSocketAsync(context).ConfigureAwait(false);
            await RunWebSocketSessionAsync(session, socket, request.Base64Only, context).ConfigureAwait(false);
        }
        else
        {
            var transport = new PollingTransport(session, request.Base64Only);
            Start(session, transport, _pollingUpgrades);
            await transport.HandleRequestAsync(context).ConfigureAwait(false);
        }
    }

    private Task RunWebSocketSessionAsync(EngineSession session, WebSocket socket, bool base64Only, object connection)
    {
        var transport = new WebSocketTransport(session, socket, base64Only, connection);
        Start(session, transport, "[]"u8);
        return transport.RunAsync();
    }

    /// <summary>
    /// Whether a handshake read off a raw connection can be taken there (see <c>UseEngineIoDirectWebSockets</c>): a
    /// fresh WebSocket session that needs nothing of the HTTP pipeline. Everything else (an upgrade of a polling session,
    /// <see cref="EngineIoOptions.AllowRequest"/>, a cookie, permessage-deflate on offer, an unsupported protocol) goes
    /// through the HTTP stack, which answers it as usual.
    /// </summary>
    internal bool CanAcceptDirectly(UpgradeRequestHead head, out EngineRequest request)
    {
        request = EngineRequest.Parse(head.QueryString, isWebSocketUpgrade: true);
        return request.Transport == EngineIoTransports.WebSocket
            && Options.Transports.HasFlag(EngineIoTransports.WebSocket)
            && request.Sid is null
            && (request.Protocol == 4 || (request.Protocol == 3 && Options.AllowEIO3))
            && Options.AllowRequest is null
            && Options.Cookie is null
            && (Options.PerMessageDeflate is null || !head.OffersExtensions)
            && !IsInvalidOrigin(head.Find(HeaderNames.Origin).ToString())
            && Volatile.Read(ref _shuttingDown) == 0;
    }

    /// <summary>Runs a WebSocket session on a connection whose handshake <see cref="DirectWebSocketMiddleware"/> answered.</summary>
    internal Task RunDirectWebSocketAsync(ConnectionContext connection, UpgradeRequestHead head, EngineRequest request)
    {
        var session = new EngineSession(this, SessionIdGenerator.Next(), request.Protocol!.Value, new EngineRequestInfo(head, connection, TimeProvider.GetUtcNow()));
        // No keep-alive pings of the WebSocket's own (as on the HTTP path): the Engine.IO heartbeat does that job.
        var socket = new PipeWebSocket(connection.Transport);
        return RunWebSocketSessionAsync(session, socket, request.Base64Only, connection);
    }

    /// <summary>
    /// Whether a handshake read off a raw connection may go through the HTTP pipeline on its own and come back to the
    /// connection (see <see cref="WebSocketHandoff"/>): a fresh WebSocket session, without permessage-deflate to
    /// negotiate (the ASP.NET Core accept does that, inside the request). Anything else the pipeline ends as usual.
    /// </summary>
    internal bool CanHandOff(UpgradeRequestHead head)
    {
        var request = EngineRequest.Parse(head.QueryString, isWebSocketUpgrade: true);
        return Options.WebSocketHandoff
            && request.Transport == EngineIoTransports.WebSocket
            && request.Sid is null
            && (Options.PerMessageDeflate is null || !head.OffersExtensions)
            && Volatile.Read(ref _shuttingDown) == 0;
    }

    /// <summary>Runs a session whose handshake the HTTP pipeline answered with a 101 and handed back to the connection.</summary>
    internal Task RunHandedOffWebSocketAsync(ConnectionContext connection, EngineSession session, bool base64Only)
    {
        var socket = new PipeWebSocket(connection.Transport);
        return RunWebSocketSessionAsync(session, socket, base64Only, connection);
    }

    private void Start(EngineSession session, EngineTransport transport, ReadOnlySpan<byte> upgrades)
    {
        session.Open(transport, BuildHandshake(session, upgrades));
        _sessions[session.Id] = session;
        Metrics.SessionOpened(transport.Name);
        try
        {
            Handler.OnOpened(session);
            SessionOpened?.Invoke(session);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, session.Id, ex);
            session.CloseCore(EngineCloseReason.TransportError, "handler failed");
            return;
        }

        // Shutdown() may have run while this handshake awaited AllowRequest or the WebSocket accept, after the check
        // in HandleCoreAsync and too early to see this session: close it here, or it would outlive the shutdown.
        // Shutdown() sets its flag before it reads the sessions; the fence keeps the registration above before this read.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _shuttingDown) == 1)
        {
            session.CloseCore(EngineCloseReason.ServerShutdown, "server shutdown");
            return;
        }
        session.Flush();
    }

    private async Task UpgradeAsync(HttpContext context, EngineSession session, bool base64Only)
    {
        // The reference accepts the WebSocket before it decides, and closes it if the session cannot upgrade.
        var socket = await AcceptWebSocketAsync(context).ConfigureAwait(false);
        var transport = new WebSocketTransport(session, socket, base64Only, context);
        if (!session.TryBeginUpgrade(transport))
        {
            Log.UpgradeRefused(Logger, session.Id);
            transport.Shutdown(EngineCloseReason.TransportError);
        }
        await transport.RunAsync().ConfigureAwait(false);
    }

    private Task<WebSocket> AcceptWebSocketAsync(HttpContext context) => context.WebSockets.AcceptWebSocketAsync(_acceptContext);

    private string BuildHandshake(EngineSession session, ReadOnlySpan<byte> upgrades)
    {
        using var stream = new MemoryStream(160);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("sid"u8, session.Id);
            writer.WritePropertyName("upgrades"u8);
            writer.WriteRawValue(upgrades, skipInputValidation: true);
            writer.WriteNumber("pingInterval"u8, (long)Options.PingInterval.TotalMilliseconds);
            writer.WriteNumber("pingTimeout"u8, (long)Options.PingTimeout.TotalMilliseconds);
            // maxPayload arrived with protocol v4; v3 clients know only the four fields above.
            if (session.ProtocolVersion >= 4) writer.WriteNumber("maxPayload"u8, Options.MaxHttpBufferSize);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private Task RefuseAsync(HttpContext context, EngineErrorCode code, string reason)
    {
        Log.RequestRefused(Logger, (int)code, reason);
        return EngineResponses.WriteErrorAsync(context, code);
    }

    /// <summary>Adds the CORS headers; answers a preflight itself. True when the request is fully answered.</summary>
    private bool ApplyCors(HttpContext context)
    {
        var result = _corsService!.EvaluatePolicy(context, _corsPolicy!);
        _corsService.ApplyResult(result, context.Response);
        if (!result.IsPreflightRequest) return false;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return true;
    }

    private static CorsPolicy BuildCorsPolicy(EngineIoCorsOptions cors)
    {
        var builder = new CorsPolicyBuilder().WithMethods("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE");
        var anyOrigin = cors.AllowedOrigins.Contains("*");
        var listed = new HashSet<string>(cors.AllowedOrigins, StringComparer.OrdinalIgnoreCase);
        var predicate = cors.IsOriginAllowed;
        if (anyOrigin && !cors.AllowCredentials) builder.AllowAnyOrigin();
        else builder.SetIsOriginAllowed(origin => anyOrigin || listed.Contains(origin) || (predicate?.Invoke(origin) ?? false));
        if (cors.AllowCredentials) builder.AllowCredentials();
        if (cors.AllowedHeaders.Count == 0) builder.AllowAnyHeader();
        else builder.WithHeaders([.. cors.AllowedHeaders]);
        if (cors.ExposedHeaders.Count > 0) builder.WithExposedHeaders([.. cors.ExposedHeaders]);
        if (cors.PreflightMaxAge is { } maxAge) builder.SetPreflightMaxAge(maxAge);
        return builder.Build();
    }

    private static CookieOptions ToCookieOptions(EngineIoCookieOptions cookie) => new()
    {
        Path = cookie.Path,
        HttpOnly = cookie.HttpOnly,
        SameSite = cookie.SameSite,
        Secure = cookie.Secure,
        Domain = cookie.Domain,
        MaxAge = cookie.MaxAge,
    };

    private static bool HasInvalidOrigin(HttpContext context) => IsInvalidOrigin(context.Request.Headers[HeaderNames.Origin].ToString());

    private static bool IsInvalidOrigin(string origin)
    {
        foreach (var ch in origin)
        {
            if ((ch < 0x20 && ch != '\t') || ch == 0x7F || ch > 0xFF) return true;
        }
        return false;
    }
}
