using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketIo.Redis.Internal;
using SocketIo.Redis.Internal.Streams;
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
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, string configuration, Action<RedisAdapterOptions>? configure) =>
        options.UseRedisAdapter(Settings(configuration, configure));

    /// <summary>Makes every namespace use a <see cref="RedisAdapter"/> on an existing connection, which stays the caller's.</summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, IConnectionMultiplexer redis) =>
        options.UseRedisAdapter(redis, configure: null);

    /// <summary>
    /// Makes every namespace use a <see cref="RedisAdapter"/> on an existing connection, which stays the caller's,
    /// with the adapter's options set by <paramref name="configure"/>.
    /// </summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, IConnectionMultiplexer redis, Action<RedisAdapterOptions>? configure) =>
        options.UseRedisAdapter(Settings(redis, configure));

    /// <summary>Makes every namespace use a <see cref="RedisAdapter"/> configured by <paramref name="adapterOptions"/>.</summary>
    public static SocketIoOptions UseRedisAdapter(this SocketIoOptions options, RedisAdapterOptions adapterOptions)
    {
        ArgumentNullException.ThrowIfNull(adapterOptions);
        return UseAdapter(options, adapterOptions.ConnectionMultiplexer, adapterOptions.Configuration, nameof(adapterOptions),
            (nsp, connection) => new RedisAdapter(nsp, connection, adapterOptions));
    }

    /// <summary>
    /// Makes the server registered by <c>AddSocketIo</c> use a <see cref="RedisAdapter"/>. Without
    /// <see cref="RedisAdapterOptions.Configuration"/> or <see cref="RedisAdapterOptions.ConnectionMultiplexer"/>,
    /// it uses the <see cref="IConnectionMultiplexer"/> registered in the container.
    /// </summary>
    public static IServiceCollection AddSocketIoRedisAdapter(this IServiceCollection services, Action<RedisAdapterOptions>? configure = null) =>
        AddAdapter(services, configure, static (options, adapterOptions) => options.UseRedisAdapter(adapterOptions));

    /// <summary>
    /// Uses the sharded Redis adapter (Redis 7 sharded pub/sub; <c>createShardedAdapter</c> of
    /// @socket.io/redis-adapter 8.3.0) on <paramref name="configuration"/>: a StackExchange.Redis configuration string
    /// or a <c>redis://</c> URL.
    /// </summary>
    public static SocketIoOptions UseShardedRedisAdapter(this SocketIoOptions options, string configuration) =>
        options.UseShardedRedisAdapter(configuration, configure: null);

    /// <summary>
    /// Uses the sharded Redis adapter on <paramref name="configuration"/>, with the adapter's options set by
    /// <paramref name="configure"/>.
    /// </summary>
    public static SocketIoOptions UseShardedRedisAdapter(this SocketIoOptions options, string configuration, Action<ShardedRedisAdapterOptions>? configure) =>
        options.UseShardedRedisAdapter(Settings(configuration, configure));

    /// <summary>Uses the sharded Redis adapter on a shared connection (not disposed by the adapter).</summary>
    public static SocketIoOptions UseShardedRedisAdapter(this SocketIoOptions options, IConnectionMultiplexer redis) =>
        options.UseShardedRedisAdapter(redis, configure: null);

    /// <summary>
    /// Uses the sharded Redis adapter on a shared connection (not disposed by the adapter), with the adapter's options
    /// set by <paramref name="configure"/>.
    /// </summary>
    public static SocketIoOptions UseShardedRedisAdapter(this SocketIoOptions options, IConnectionMultiplexer redis, Action<ShardedRedisAdapterOptions>? configure) =>
        options.UseShardedRedisAdapter(Settings(redis, configure));

    /// <summary>Uses the sharded Redis adapter with <paramref name="adapterOptions"/>.</summary>
    public static SocketIoOptions UseShardedRedisAdapter(this SocketIoOptions options, ShardedRedisAdapterOptions adapterOptions)
    {
        ArgumentNullException.ThrowIfNull(adapterOptions);
        return UseAdapter(options, adapterOptions.ConnectionMultiplexer, adapterOptions.Configuration, nameof(adapterOptions),
            (nsp, connection) => new ShardedRedisAdapter(nsp, connection, adapterOptions));
    }

    // Both adapters: every namespace gets an adapter on one connection for the whole server, made when the first
    // namespace is (a shared multiplexer stays the caller's; one made from the configuration is the server's).
    private static SocketIoOptions UseAdapter(SocketIoOptions options, IConnectionMultiplexer? multiplexer, string? configuration,
        string parameterName, Func<SocketIoNamespace, RedisAdapterConnection, SocketIo.Adapters.SocketIoAdapter> create)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (multiplexer is null && string.IsNullOrWhiteSpace(configuration))
            throw new ArgumentException("Set the Redis configuration string or the connection multiplexer.", parameterName);
        RedisAdapterConnection? connection = null;
        var sync = new object();
        options.AdapterFactory = nsp =>
        {
            lock (sync)
            {
                connection ??= multiplexer is not null
                    ? new RedisAdapterConnection(multiplexer, owned: false, nsp.Server.Logger)
                    : new RedisAdapterConnection(ConnectionMultiplexer.Connect(RedisConfiguration.Parse(configuration!)), owned: true, nsp.Server.Logger);
            }
            return create(nsp, connection);
        };
        return options;
    }

    /// <summary>
    /// Registers the sharded Redis adapter the ASP.NET Core way: configured by <paramref name="configure"/>, on the
    /// <see cref="IConnectionMultiplexer"/> from DI when neither a configuration string nor a multiplexer is set.
    /// </summary>
    public static IServiceCollection AddSocketIoShardedRedisAdapter(this IServiceCollection services, Action<ShardedRedisAdapterOptions>? configure = null) =>
        AddAdapter(services, configure, static (options, adapterOptions) => options.UseShardedRedisAdapter(adapterOptions));

    /// <summary>
    /// Uses the Redis Streams adapter (@socket.io/redis-streams-adapter 0.3.1) on <paramref name="configuration"/>: a
    /// StackExchange.Redis configuration string or a <c>redis://</c> URL. The server owns and closes its connections.
    /// </summary>
    public static SocketIoOptions UseRedisStreamsAdapter(this SocketIoOptions options, string configuration) =>
        options.UseRedisStreamsAdapter(configuration, configure: null);

    /// <summary>
    /// Uses the Redis Streams adapter on <paramref name="configuration"/>, with the adapter's options set by
    /// <paramref name="configure"/>.
    /// </summary>
    public static SocketIoOptions UseRedisStreamsAdapter(this SocketIoOptions options, string configuration, Action<RedisStreamsAdapterOptions>? configure) =>
        options.UseRedisStreamsAdapter(Settings(configuration, configure));

    /// <summary>
    /// Uses the Redis Streams adapter on a shared connection (not disposed by the adapter); the adapter opens one more
    /// connection, from the same configuration, for its blocking reads of the stream.
    /// </summary>
    public static SocketIoOptions UseRedisStreamsAdapter(this SocketIoOptions options, IConnectionMultiplexer redis) =>
        options.UseRedisStreamsAdapter(redis, configure: null);

    /// <summary>
    /// Uses the Redis Streams adapter on a shared connection (not disposed by the adapter), with the adapter's options
    /// set by <paramref name="configure"/>.
    /// </summary>
    public static SocketIoOptions UseRedisStreamsAdapter(this SocketIoOptions options, IConnectionMultiplexer redis, Action<RedisStreamsAdapterOptions>? configure) =>
        options.UseRedisStreamsAdapter(Settings(redis, configure));

    /// <summary>Uses the Redis Streams adapter with <paramref name="adapterOptions"/> (validated here).</summary>
    public static SocketIoOptions UseRedisStreamsAdapter(this SocketIoOptions options, RedisStreamsAdapterOptions adapterOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adapterOptions);
        adapterOptions.Validate();
        RedisStreamsHub? hub = null;
        var sync = new object();
        options.AdapterFactory = nsp =>
        {
            lock (sync)
            {
                if (hub is null)
                {
                    var multiplexer = adapterOptions.ConnectionMultiplexer;
                    var configuration = multiplexer is not null
                        ? ConfigurationOptions.Parse(multiplexer.Configuration)
                        : RedisConfiguration.Parse(adapterOptions.Configuration!);
                    var connection = multiplexer is not null
                        ? new RedisAdapterConnection(multiplexer, owned: false, nsp.Server.Logger)
                        : new RedisAdapterConnection(ConnectionMultiplexer.Connect(configuration), owned: true, nsp.Server.Logger);
                    hub = new RedisStreamsHub(connection, configuration, adapterOptions, nsp.Server.Logger);
                }
            }
            return new RedisStreamsAdapter(nsp, hub, adapterOptions);
        };
        return options;
    }

    /// <summary>
    /// Registers the Redis Streams adapter the ASP.NET Core way: configured by <paramref name="configure"/>, on the
    /// <see cref="IConnectionMultiplexer"/> from DI when neither a configuration string nor a multiplexer is set.
    /// </summary>
    public static IServiceCollection AddSocketIoRedisStreamsAdapter(this IServiceCollection services, Action<RedisStreamsAdapterOptions>? configure = null) =>
        AddAdapter(services, configure, static (options, adapterOptions) => options.UseRedisStreamsAdapter(adapterOptions));

    // The three adapters' overloads: options from a configuration string or a shared multiplexer, then the caller's.
    private static T Settings<T>(string configuration, Action<T>? configure) where T : class, IRedisConnectionSettings, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var settings = new T { Configuration = configuration };
        configure?.Invoke(settings);
        return settings;
    }

    private static T Settings<T>(IConnectionMultiplexer redis, Action<T>? configure) where T : class, IRedisConnectionSettings, new()
    {
        ArgumentNullException.ThrowIfNull(redis);
        var settings = new T { ConnectionMultiplexer = redis };
        configure?.Invoke(settings);
        return settings;
    }

    // The three adapters' DI registrations: on the multiplexer from the container when the options name no Redis.
    private static IServiceCollection AddAdapter<T>(IServiceCollection services, Action<T>? configure, Func<SocketIoOptions, T, SocketIoOptions> use)
        where T : class, IRedisConnectionSettings, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IConfigureOptions<SocketIoOptions>>(provider => new ConfigureOptions<SocketIoOptions>(options =>
        {
            var settings = new T();
            configure?.Invoke(settings);
            if (settings.ConnectionMultiplexer is null && string.IsNullOrWhiteSpace(settings.Configuration))
                settings.ConnectionMultiplexer = provider.GetRequiredService<IConnectionMultiplexer>();
            use(options, settings);
        }));
        return services;
    }
}
