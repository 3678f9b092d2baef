using System.IO.Pipelines;
using System.Net.WebSockets;
using EngineIo.Internal.Direct;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace EngineIo.Internal.Transports;

/// <summary>
/// Accepts a WebSocket that came through ASP.NET Core's HTTP stack (the plain <c>MapEngineIo</c> / <c>MapSocketIo</c>
/// path) and then runs it on the connection's own pipes rather than on the HTTP stack's upgrade streams.
/// </summary>
/// <remarks>
/// <para>
/// After an HTTP/1.1 upgrade, Kestrel passes the WebSocket's bytes through four layers each way (the upgrade stream,
/// the request stream, the request pipe reader and the upgrade message body in; the response stream, the response
/// pipe writer, the output producer with its lock, and the connection's pipe out). Those layers add two pending async
/// state machines to every idle connection (about 440 bytes) and a lock, a copy and a flush per frame on the way out:
/// room fan-out on the plain path delivered 30-45% of a bare Kestrel WebSocket's messages against 60-80% with direct
/// WebSockets, which write to the pipes. Once the 101 is out nothing else reads or writes those pipes for as long as
/// the request runs, so the WebSocket can use them as the direct path does.
/// </para>
/// <para>
/// Taken only where that holds and nothing is lost: HTTP/1.1 (an HTTP/2 WebSocket is a stream of a shared
/// connection), a connection that exposes its transport (Kestrel does, through the connection features; under TLS
/// that transport is the decrypted one), no permessage-deflate to negotiate (the ASP.NET Core accept does that), and
/// a request the WebSocket middleware already recognised as a valid handshake. Everything else takes
/// <c>AcceptWebSocketAsync</c>, as before. The HTTP pipeline runs in full either way: only the bytes after the 101
/// take the shorter road.
/// </para>
/// </remarks>
internal static class ConnectionWebSocketAccept
{
    /// <summary>
    /// Accepts the WebSocket of <paramref name="context"/> on the connection's pipes when it can; null when the request
    /// must be accepted the usual way (nothing has been written then).
    /// </summary>
    public static Task<WebSocket>? TryAccept(HttpContext context, bool compressionEnabled)
    {
        if (!HttpProtocol.IsHttp11(context.Request.Protocol)) return null;
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true } upgrade) return null;
        if (context.Features.Get<IConnectionTransportFeature>()?.Transport is not { } transport) return null;
        var headers = context.Request.Headers;
        if (compressionEnabled && headers.SecWebSocketExtensions.Count > 0) return null;
        // IsWebSocketRequest has checked the method, the Connection, Upgrade and version headers and the key's form.
        if (headers.SecWebSocketKey is not [{ } key]) return null;
        return AcceptAsync(context, upgrade, transport, key);
    }

    /// <summary>Whether a WebSocket request handed over by the connection middleware can be answered by <see cref="WriteSwitchingProtocolsAsync"/>.</summary>
    public static bool CanHandOff(HttpContext context, bool compressionEnabled) =>
        HttpProtocol.IsHttp11(context.Request.Protocol)
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && !(compressionEnabled && context.Request.Headers.SecWebSocketExtensions.Count > 0)
        && context.Request.Headers.SecWebSocketKey is [not null];

    /// <summary>Answers the handshake with a 101 and flushes it; the request may end right after.</summary>
    public static async Task WriteSwitchingProtocolsAsync(HttpContext context)
    {
        var response = context.Response.Headers;
        response.Connection = "Upgrade";
        response.Upgrade = "websocket";
        response.SecWebSocketAccept = DirectWebSocketMiddleware.AcceptValue(context.Request.Headers.SecWebSocketKey.ToString());
        await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);
    }

    private static async Task<WebSocket> AcceptAsync(HttpContext context, IHttpUpgradeFeature upgrade, IDuplexPipe transport, string key)
    {
        var response = context.Response.Headers;
        response.Connection = "Upgrade";
        response.Upgrade = "websocket";
        response.SecWebSocketAccept = DirectWebSocketMiddleware.AcceptValue(key);
        // Sends the 101 and flushes it; the upgrade stream it returns is not used (see the remarks).
        await upgrade.UpgradeAsync().ConfigureAwait(false);
        // The pipes are Kestrel's: it completes them when the request ends, so the stream must not.
        return WebSocket.CreateFromStream(
            new DuplexPipeStream(transport, completePipesOnDispose: false),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }
}
