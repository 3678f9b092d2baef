using EngineIo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SocketIo;

/// <summary>Exposing the Socket.IO server registered with <c>AddSocketIo</c>.</summary>
public static class SocketIoEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the server at <see cref="SocketIoOptions.Path"/> (default <c>/socket.io</c>) and lets
    /// <paramref name="configure"/> set up namespaces and handlers. Sockets are disconnected with
    /// <see cref="DisconnectReason.ServerShuttingDown"/> when the application stops.
    /// </summary>
    public static SocketIoServer MapSocketIo(this IEndpointRouteBuilder endpoints, Action<SocketIoServer>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetService<SocketIoServer>()
            ?? throw new InvalidOperationException("No Socket.IO server is registered: call builder.Services.AddSocketIo() first.");
        configure?.Invoke(server);
        // The shutdown starts as soon as the host stops (new handshakes refused, sockets disconnected, connections
        // closing); AddSocketIo's hosted service then waits for it within the host's shutdown timeout.
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(static state => _ = ((SocketIoServer)state!).CloseAsync(), server);
        endpoints.Map(server.Options.Path, server.Engine.HandleRequestAsync).WithDisplayName("Socket.IO " + server.Options.Path);
        return server;
    }
}
