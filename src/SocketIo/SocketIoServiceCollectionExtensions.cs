using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIo.Internal;

namespace SocketIo;

/// <summary>Registering a Socket.IO server in the dependency-injection container.</summary>
public static class SocketIoServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SocketIoServer"/> (a singleton any service can inject to emit) configured by
    /// <paramref name="configure"/>. Expose it with <c>app.MapSocketIo()</c>. Its meters come from the container's
    /// <see cref="IMeterFactory"/> when there is one, and it closes gracefully when the host stops.
    /// </summary>
    public static IServiceCollection AddSocketIo(this IServiceCollection services, Action<SocketIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            var options = new SocketIoOptions();
            configure?.Invoke(options);
            foreach (var configurator in provider.GetServices<IConfigureOptions<SocketIoOptions>>()) configurator.Configure(options);
            return new SocketIoServer(options, provider.GetService<ILoggerFactory>(), provider.GetService<TimeProvider>(), provider.GetService<IMeterFactory>());
        });
        // The graceful close when the host stops (see SocketIoServer.CloseAsync).
        services.AddSingleton<IHostedService, SocketIoShutdownService>();
        // First among Kestrel's option setups (see WebSocketHandoffSetup): an application's own endpoint defaults win.
        services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, WebSocketHandoffSetup>());
        return services;
    }
}
