using EngineIo.Internal.Direct;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EngineIo;

/// <summary>Taking Engine.IO WebSocket handshakes at the connection level, below ASP.NET Core's HTTP stack.</summary>
public static class EngineIoListenOptionsExtensions
{
    /// <summary>
    /// Makes the endpoint answer fresh Engine.IO WebSocket handshakes on <see cref="EngineIoOptions.Path"/> itself, as
    /// soon as a connection's first request arrives, instead of through ASP.NET Core's HTTP stack. Every other
    /// connection (polling, upgrades from polling, other paths, HTTP/2, anything unusual) goes on to that stack with its
    /// bytes untouched.
    /// </summary>
    /// <remarks>
    /// <para>
    /// What it buys: a WebSocket accepted through the HTTP stack keeps the stack's per-request state for as long as it
    /// is open, about half the memory of an idle connection. Taken here, an idle connection costs little more than its
    /// socket and pipes.
    /// </para>
    /// <para>
    /// What it costs: those handshakes skip the HTTP middleware pipeline. No authentication middleware runs, so
    /// <see cref="EngineRequestInfo.User"/> is anonymous; forwarded headers are not applied. Handshakes that need the
    /// pipeline are left to it: with <see cref="EngineIoOptions.AllowRequest"/> or <see cref="EngineIoOptions.Cookie"/>
    /// set they go through the pipeline and are then handed off (see <see cref="UseEngineIoWebSocketHandoff"/>); with
    /// permessage-deflate enabled and offered, the WebSocket stays inside its HTTP request. Call it after
    /// <c>UseHttps()</c> when the endpoint uses TLS.
    /// </para>
    /// </remarks>
    /// <param name="listenOptions">The Kestrel endpoint.</param>
    /// <param name="server">Finds the server once the first connection arrives (after the application is built).</param>
    public static ListenOptions UseEngineIoDirectWebSockets(this ListenOptions listenOptions, Func<IServiceProvider, EngineIoServer> server)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(server);
        var services = listenOptions.ApplicationServices;
        EngineIoServer? resolved = null;
        // The direct middleware hands off what it does not take itself: a handoff installed by default steps aside.
        DirectEndpoints.AddOrUpdate(listenOptions, null);
        listenOptions.Use(next => new DirectWebSocketMiddleware(next, () => resolved ??= server(services)).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>
    /// Makes the endpoint give fresh Engine.IO WebSocket connections back to the engine once their handshake has gone
    /// through ASP.NET Core's HTTP pipeline and been answered with a 101, so that the HTTP stack's per-request state
    /// is released instead of being kept for as long as the WebSocket is open. Unlike
    /// <see cref="UseEngineIoDirectWebSockets"/>, every handshake still runs the whole middleware pipeline (authentication,
    /// CORS, forwarded headers, your own middleware, <see cref="EngineIoOptions.AllowRequest"/>), and a handshake the
    /// pipeline refuses is answered by it as usual.
    /// </summary>
    /// <remarks>
    /// The connection's first request is read here; when it is a fresh WebSocket handshake on <see cref="EngineIoOptions.Path"/>,
    /// the HTTP stack gets that one request on its own (and the end of the input after it), and the session runs on the
    /// connection once the stack has answered it. Every other connection goes on to the stack with its bytes untouched;
    /// so do handshakes offering permessage-deflate when it is enabled. After a refused handshake the connection
    /// closes. <c>AddSocketIo</c> installs it as a default of every Kestrel endpoint (unless the application sets its own
    /// endpoint defaults); on a TLS endpoint call it yourself, after <c>UseHttps()</c>. <see cref="EngineIoOptions.WebSocketHandoff"/>
    /// turns it off.
    /// </remarks>
    /// <param name="listenOptions">The Kestrel endpoint.</param>
    /// <param name="server">Finds the server once the first connection arrives (after the application is built).</param>
    public static ListenOptions UseEngineIoWebSocketHandoff(this ListenOptions listenOptions, Func<IServiceProvider, EngineIoServer> server)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(server);
        var services = listenOptions.ApplicationServices;
        EngineIoServer? resolved = null;
        // Decided when Kestrel builds the endpoint's pipeline, once everything is configured: an endpoint with direct
        // WebSockets already hands off (and two readers of the first head would not agree).
        listenOptions.Use(next => DirectEndpoints.TryGetValue(listenOptions, out _)
            ? next
            : new DirectWebSocketMiddleware(next, () => resolved ??= server(services), direct: false).OnConnectionAsync);
        return listenOptions;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ListenOptions, object?> DirectEndpoints = [];
}
