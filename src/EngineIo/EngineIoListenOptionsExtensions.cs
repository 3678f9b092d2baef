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
    /// set, or permessage-deflate enabled and offered, this endpoint behaves as without the option. Call it after
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
        listenOptions.Use(next => new DirectWebSocketMiddleware(next, () => resolved ??= server(services)).OnConnectionAsync);
        return listenOptions;
    }
}
