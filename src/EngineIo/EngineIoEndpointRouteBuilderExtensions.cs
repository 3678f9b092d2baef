using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EngineIo;

/// <summary>Hosting an Engine.IO server in an ASP.NET Core application.</summary>
public static class EngineIoEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Creates an Engine.IO server for <paramref name="handler"/> and maps it at <see cref="EngineIoOptions.Path"/>.
    /// Sessions are closed with <see cref="EngineCloseReason.ServerShutdown"/> when the application stops.
    /// </summary>
    public static EngineIoServer MapEngineIo(this IEndpointRouteBuilder endpoints, IEngineIoHandler handler, Action<EngineIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new EngineIoOptions();
        configure?.Invoke(options);
        var services = endpoints.ServiceProvider;
        var server = new EngineIoServer(options, handler, services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
        endpoints.MapEngineIo(server);
        return server;
    }

    /// <summary>Maps an existing server at its <see cref="EngineIoOptions.Path"/> (with or without a trailing slash).</summary>
    public static IEndpointConventionBuilder MapEngineIo(this IEndpointRouteBuilder endpoints, EngineIoServer server)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(server);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(server.Shutdown);
        return endpoints.Map(server.Options.Path, server.HandleRequestAsync).WithDisplayName("Engine.IO " + server.Options.Path);
    }
}
