using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>Options of the Redis adapter (the classic protocol of Node's <c>@socket.io/redis-adapter</c> 8.3.0).</summary>
public sealed class RedisAdapterOptions : IRedisConnectionSettings
{
    /// <summary>The default <see cref="Key"/>, the reference's: <c>socket.io</c>.</summary>
    public const string DefaultKey = "socket.io";

    /// <summary>The default <see cref="RequestsTimeout"/>, the reference's: 5 seconds.</summary>
    public static readonly TimeSpan DefaultRequestsTimeout = TimeSpan.FromSeconds(5);

    private string _key = DefaultKey;
    private TimeSpan _requestsTimeout = DefaultRequestsTimeout;

    /// <summary>
    /// Where Redis is: a StackExchange.Redis configuration string (<c>127.0.0.1:6379,password=…</c>) or a URL
    /// (<c>redis://[user:password@]host:port[/db]</c>, <c>rediss://</c> for TLS). Ignored when
    /// <see cref="ConnectionMultiplexer"/> is set. With neither, the adapter uses the
    /// <see cref="IConnectionMultiplexer"/> registered in the container.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>A connection to use (shared with the application, which owns and disposes it).</summary>
    public IConnectionMultiplexer? ConnectionMultiplexer { get; set; }

    /// <summary>The prefix of every channel. Default: <c>socket.io</c>. Every node of a cluster must use the same.</summary>
    public string Key
    {
        get => _key;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _key = value;
        }
    }

    /// <summary>How long a request to the other nodes (fetching sockets, server-side emit with acks) waits for their answers. Default: 5 seconds.</summary>
    public TimeSpan RequestsTimeout
    {
        get => _requestsTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _requestsTimeout = value;
        }
    }

    /// <summary>
    /// Whether this node answers a request on the requesting node's own channel (<c>socket.io-response#/#uid#</c>)
    /// rather than the shared response channel. Default: false, as the reference (every node subscribes to both).
    /// </summary>
    public bool PublishOnSpecificResponseChannel { get; set; }
}
