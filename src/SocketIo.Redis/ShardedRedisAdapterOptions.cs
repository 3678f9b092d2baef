using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>Options of the sharded Redis adapter (Redis 7 sharded pub/sub, <c>createShardedAdapter</c> of @socket.io/redis-adapter 8.3.0).</summary>
public sealed class ShardedRedisAdapterOptions : IRedisConnectionSettings
{
    /// <summary>The default channel prefix, <c>socket.io</c>.</summary>
    public const string DefaultChannelPrefix = "socket.io";

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>) or a <c>redis://host:port</c> URL; used when
    /// <see cref="ConnectionMultiplexer"/> is not set.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>A connection to share (from DI); it is not disposed by the adapter.</summary>
    public IConnectionMultiplexer? ConnectionMultiplexer { get; set; }

    /// <summary>The prefix of every channel name; default <see cref="DefaultChannelPrefix"/>.</summary>
    public string ChannelPrefix { get; set; } = DefaultChannelPrefix;

    /// <summary>How broadcasts are spread over channels; default <see cref="ShardedSubscriptionMode.Dynamic"/>, as Node's.</summary>
    public ShardedSubscriptionMode SubscriptionMode { get; set; } = ShardedSubscriptionMode.Dynamic;

    /// <summary>How long requests to other nodes wait (fetchSockets without a timeout); default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
