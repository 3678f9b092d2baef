using StackExchange.Redis;

namespace SocketIo.Redis.Internal;

/// <summary>Where an adapter's options find Redis: a configuration string, or a connection the caller shares.</summary>
internal interface IRedisConnectionSettings
{
    string? Configuration { get; set; }

    IConnectionMultiplexer? ConnectionMultiplexer { get; set; }
}
