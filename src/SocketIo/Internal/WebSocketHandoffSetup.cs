using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SocketIo.Internal;

/// <summary>
/// Installs the WebSocket handoff (<see cref="SocketIoListenOptionsExtensions.UseSocketIoWebSocketHandoff"/>) as a
/// default of every Kestrel endpoint, so that <c>AddSocketIo</c> + <c>MapSocketIo</c> alone hold an idle WebSocket for
/// about as little as direct WebSockets do, while every handshake still runs the HTTP pipeline.
/// </summary>
/// <remarks>
/// <c>AddSocketIo</c> puts this first among Kestrel's option setups: endpoint defaults are one delegate, replaced by
/// every <c>ConfigureEndpointDefaults</c> call, so an application's own call (which comes later) wins and simply goes
/// without the handoff, rather than ours erasing it. Endpoints get it when they are created (<c>Listen</c>, or the
/// URLs Kestrel binds at start). On a TLS endpoint it sits outside the TLS layer, sees no plain HTTP head, and steps aside.
/// </remarks>
internal sealed class WebSocketHandoffSetup : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options) =>
        options.ConfigureEndpointDefaults(listen => listen.UseSocketIoWebSocketHandoff());
}
