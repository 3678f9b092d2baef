using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketIo.Internal.PlainWebSockets;

namespace SocketIo;

/// <summary>Serving a namespace to plain WebSocket clients that speak JSON envelopes instead of Socket.IO.</summary>
public static class PlainWebSocketEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a plain WebSocket endpoint at <paramref name="pattern"/> onto <paramref name="namespace"/> of the Socket.IO
    /// server registered with <c>AddSocketIo</c>. Each client becomes a <see cref="SocketIoSocket"/> of that namespace,
    /// like a Socket.IO client: the namespace's middlewares, connection handlers, rooms, broadcasts and adapter apply
    /// unchanged, and its handshake query and headers are those of the WebSocket request.
    /// <para>
    /// A client text message <c>{"type":"chat","data":{...},"id":"1"}</c> is the event <c>chat</c> with the data as its
    /// argument (an envelope without a data field but with fields of its own, <c>{"type":"auth","token":"..."}</c>, is
    /// its own argument); with an id, the handler's acknowledgement comes back as <c>{"type":"chat","id":"1","data":...}</c>.
    /// What the server emits to the socket arrives as <c>{"type":event,"data":firstArgument,"timestamp":...,"id":...}</c>.
    /// <c>{"type":"ping"}</c> is answered with <c>{"type":"pong"}</c>; bad JSON or a type no handler takes gets an
    /// <c>{"type":"error","data":{"code","message"}}</c> envelope. The field names are set in
    /// <paramref name="configure"/>.
    /// </para>
    /// </summary>
    /// <returns>A builder to add endpoint conventions (authorization, CORS, metadata) to.</returns>
    public static IEndpointConventionBuilder MapPlainWebSocket(this IEndpointRouteBuilder endpoints, string pattern, string @namespace = "/", Action<PlainWebSocketOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var server = endpoints.ServiceProvider.GetService<SocketIoServer>()
            ?? throw new InvalidOperationException("No Socket.IO server is registered: call builder.Services.AddSocketIo() first.");
        var options = new PlainWebSocketOptions();
        configure?.Invoke(options);
        var endpoint = new PlainWebSocketEndpoint(server, @namespace, options);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(endpoint.Shutdown);
        return endpoints.Map(pattern, endpoint.HandleRequestAsync).WithDisplayName("Plain WebSocket " + pattern);
    }
}
