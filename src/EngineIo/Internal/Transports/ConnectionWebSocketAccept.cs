using EngineIo.Internal.Direct;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EngineIo.Internal.Transports;

/// <summary>
/// The HTTP side of the WebSocket handoff (see <see cref="WebSocketHandoff"/>): answering, inside the request, a
/// handshake whose session will run on the connection once the request has ended.
/// </summary>
internal static class ConnectionWebSocketAccept
{
    /// <summary>Whether a WebSocket request handed over by the connection middleware can be answered by <see cref="WriteSwitchingProtocolsAsync"/>.</summary>
    public static bool CanHandOff(HttpContext context, bool compressionEnabled) =>
        HttpProtocol.IsHttp11(context.Request.Protocol)
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && !(compressionEnabled && context.Request.Headers.SecWebSocketExtensions.Count > 0)
        && context.Request.Headers.SecWebSocketKey is [not null];

    /// <summary>
    /// Answers the handshake with a 101 (with whatever headers the pipeline added) and flushes it; the request may end
    /// right after. The middleware has checked the request's form (<see cref="UpgradeRequestHead"/>) and ASP.NET Core's
    /// WebSocket manager recognised it as a WebSocket request.
    /// </summary>
    public static async Task WriteSwitchingProtocolsAsync(HttpContext context)
    {
        var response = context.Response.Headers;
        response.Connection = "Upgrade";
        response.Upgrade = "websocket";
        response.SecWebSocketAccept = DirectWebSocketMiddleware.AcceptValue(context.Request.Headers.SecWebSocketKey.ToString());
        // The upgrade stream it returns is not used: the session reads and writes the connection's own pipes.
        await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);
    }
}
