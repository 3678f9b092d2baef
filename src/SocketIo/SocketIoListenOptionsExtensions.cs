using EngineIo;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace SocketIo;

/// <summary>Taking Socket.IO WebSocket handshakes at the connection level, below ASP.NET Core's HTTP stack.</summary>
public static class SocketIoListenOptionsExtensions
{
    /// <summary>
    /// Makes the endpoint answer fresh Socket.IO WebSocket connections on <see cref="SocketIoOptions.Path"/> itself,
    /// below ASP.NET Core's HTTP stack, for a much smaller memory cost per idle connection. The server registered with
    /// <c>AddSocketIo</c> is used; <c>MapSocketIo</c> is still needed for every other request (polling and upgrades).
    /// Read the trade-offs on <see cref="EngineIoListenOptionsExtensions.UseEngineIoDirectWebSockets"/>: those
    /// handshakes skip the HTTP middleware (no authenticated <see cref="SocketIoHandshake.User"/>).
    /// </summary>
    /// <param name="listenOptions">The Kestrel endpoint, e.g. in <c>ConfigureKestrel(k => k.ListenLocalhost(3000, l => l.UseSocketIoDirectWebSockets()))</c>.</param>
    public static ListenOptions UseSocketIoDirectWebSockets(this ListenOptions listenOptions) =>
        listenOptions.UseEngineIoDirectWebSockets(services =>
            (services.GetService<SocketIoServer>()
                ?? throw new InvalidOperationException("No Socket.IO server is registered: call builder.Services.AddSocketIo() first.")).Engine);

    /// <summary>
    /// Makes the endpoint run fresh Socket.IO WebSocket connections on the connection itself once the HTTP pipeline has
    /// let their handshake through, releasing the HTTP stack's per-request state; every handshake still runs the whole
    /// middleware pipeline. See <see cref="EngineIoListenOptionsExtensions.UseEngineIoWebSocketHandoff"/>.
    /// </summary>
    /// <param name="listenOptions">The Kestrel endpoint.</param>
    public static ListenOptions UseSocketIoWebSocketHandoff(this ListenOptions listenOptions) =>
        listenOptions.UseEngineIoWebSocketHandoff(services =>
            (services.GetService<SocketIoServer>()
                ?? throw new InvalidOperationException("No Socket.IO server is registered: call builder.Services.AddSocketIo() first.")).Engine);
}
