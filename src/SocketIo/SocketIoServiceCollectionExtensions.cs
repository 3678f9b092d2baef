using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SocketIo;

/// <summary>Registering a Socket.IO server in the dependency-injection container.</summary>
public static class SocketIoServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SocketIoServer"/> (a singleton any service can inject to emit) configured by
    /// <paramref name="configure"/>. Expose it with <c>app.MapSocketIo()</c>.
    /// </summary>
    public static IServiceCollection AddSocketIo(this IServiceCollection services, Action<SocketIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            var options = new SocketIoOptions();
            configure?.Invoke(options);
            foreach (var configurator in provider.GetServices<IConfigureOptions<SocketIoOptions>>()) configurator.Configure(options);
            return new SocketIoServer(options, provider.GetService<ILoggerFactory>(), provider.GetService<TimeProvider>());
        });
        return services;
    }
}
