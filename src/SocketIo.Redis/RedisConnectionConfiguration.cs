using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>
/// Reads where Redis is the way the adapters do, for an application that opens its own connection to the same Redis
/// (for its own keys, beside the adapter's channels).
/// </summary>
public static class RedisConnectionConfiguration
{
    /// <summary>
    /// The StackExchange.Redis options of <paramref name="configuration"/>: a configuration string
    /// (<c>127.0.0.1:6379</c>) or a URL as Node users write it (<c>redis://[user:password@]host:port[/db]</c>,
    /// <c>rediss://</c> for TLS), with the adapters' connection policy (start while Redis is unreachable, fail
    /// commands at once during an outage, reconnect every half second).
    /// </summary>
    public static ConfigurationOptions Parse(string configuration) => RedisConfiguration.Parse(configuration);
}
