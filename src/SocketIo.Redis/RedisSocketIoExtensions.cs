using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>Wiring the Redis adapter into a Socket.IO server.</summary>
public static class RedisSocketIoExtensions
{
    /// <summary>
    /// Makes every namespace use a <see cref="RedisAdapter"/> on the Redis at <paramref name="configuration"/>
    /// (<c>127.0.0.1:6379</c> or <c>redis://127.0.0.1:6379</c>); the server owns and closes that connection.
    /// </summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, string configuration) =>
        options.UseRedisAdapter(configuration, configure: null);

    /// <summary>
    /// Makes every namespace use a <see cref="RedisAdapter"/> on the Redis at <paramref name="configuration"/>, with
    /// the adapter's options set by <paramref name="configure"/>; the server owns and closes that connection.
    /// </summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, string configuration, Action<RedisAdapterOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var adapterOptions = new RedisAdapterOptions { Configuration = configuration };
        configure?.Invoke(adapterOptions);
        return options.UseRedisAdapter(adapterOptions);
    }

    /// <summary>Makes every namespace use a <see cref="RedisAdapter"/> on an existing connection, which stays the caller's.</summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, IConnectionMultiplexer redis) =>
        options.UseRedisAdapter(redis, configure: null);

    /// <summary>
    /// Makes every namespace use a <see cref="RedisAdapter"/> on an existing connection, which stays the caller's,
    /// with the adapter's options set by <paramref name="configure"/>.
    /// </summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, IConnectionMultiplexer redis, Action<RedisAdapterOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var adapterOptions = new RedisAdapterOptions { ConnectionMultiplexer = redis };
        configure?.Invoke(adapterOptions);
        return options.UseRedisAdapter(adapterOptions);
    }

    /// <summary>Makes every namespace use a <see cref="RedisAdapter"/> configured by <paramref name="adapterOptions"/>.</summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, RedisAdapterOptions adapterOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adapterOptions);
        if (adapterOptions.ConnectionMultiplexer is null && string.IsNullOrWhiteSpace(adapterOptions.Configuration))
            throw new ArgumentException("Set the Redis configuration string or the connection multiplexer.", nameof(adapterOptions));
        RedisAdapterConnection? connection = null;
        var sync = new object();
        options.AdapterFactory = nsp =>
        {
            // One connection for all the namespaces of the server, made when the first one is.
            lock (sync)
            {
                connection ??= adapterOptions.ConnectionMultiplexer is { } shared
                    ? new RedisAdapterConnection(shared, owned: false, nsp.Server.Logger)
                    : new RedisAdapterConnection(ConnectionMultiplexer.Connect(RedisConfiguration.Parse(adapterOptions.Configuration!)), owned: true, nsp.Server.Logger);
            }
            return new RedisAdapter(nsp, connection, adapterOptions);
        };
        return options;
    }

    /// <summary>
    /// Makes the server registered by <c>AddSocketIo</c> use a <see cref="RedisAdapter"/>. Without
    /// <see cref="RedisAdapterOptions.Configuration"/> or <see cref="RedisAdapterOptions.ConnectionMultiplexer"/>,
    /// it uses the <see cref="IConnectionMultiplexer"/> registered in the container.
    /// </summary>
    public static IServiceCollection AddSocketIoRedisAdapter(this IServiceCollection services, Action<RedisAdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IConfigureOptions<SocketIoOptions>>(provider => new ConfigureOptions<SocketIoOptions>(options =>
        {
            var adapterOptions = new RedisAdapterOptions();
            configure?.Invoke(adapterOptions);
            if (adapterOptions.ConnectionMultiplexer is null && string.IsNullOrWhiteSpace(adapterOptions.Configuration))
                adapterOptions.ConnectionMultiplexer = provider.GetRequiredService<IConnectionMultiplexer>();
            options.UseRedisAdapter(adapterOptions);
        }));
        return services;
    }
}
