using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>
/// Options of the Redis Streams adapter (<c>createAdapter</c> of @socket.io/redis-streams-adapter 0.3.1), with the
/// same defaults. Validated when the adapter is created.
/// </summary>
public sealed class RedisStreamsAdapterOptions : IRedisConnectionSettings
{
    /// <summary>The default stream name, <c>socket.io</c>.</summary>
    public const string DefaultStreamName = "socket.io";

    /// <summary>The default maximum stream length, 10,000 entries (trimmed approximately, <c>MAXLEN ~</c>).</summary>
    public const int DefaultMaxLength = 10_000;

    /// <summary>The default number of entries read at once, 100.</summary>
    public const int DefaultReadCount = 100;

    /// <summary>The default prefix of session keys, <c>sio:session:</c>.</summary>
    public const string DefaultSessionKeyPrefix = "sio:session:";

    /// <summary>The default prefix of the pub/sub channels, <c>socket.io</c>.</summary>
    public const string DefaultChannelPrefix = "socket.io";

    /// <summary>The default time a read waits for new entries, 5 s (the reference's <c>blockTimeInMs</c>).</summary>
    public static readonly TimeSpan DefaultBlockTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>) or a <c>redis://host:port</c> URL; used when
    /// <see cref="ConnectionMultiplexer"/> is not set.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// A connection to share (from DI); it is not disposed by the adapter. The adapter still opens one connection of
    /// its own, from the same configuration, for its blocking reads of the stream.
    /// </summary>
    public IConnectionMultiplexer? ConnectionMultiplexer { get; set; }

    /// <summary>
    /// The stream every node appends to and reads; default <see cref="DefaultStreamName"/>. With
    /// <see cref="StreamCount"/> above 1, the prefix of the streams' names.
    /// </summary>
    public string StreamName { get; set; } = DefaultStreamName;

    /// <summary>
    /// How many streams the namespaces are spread over (the reference's <c>streamCount</c>); default 1. Above 1, a
    /// namespace's entries go to <c>{StreamName}-{i}</c>, i from a hash of its name, computed as the npm package does,
    /// so that each namespace stays in order and Node and .NET nodes agree; a node reads the streams of its own
    /// namespaces, each on a connection of its own. Every node of a cluster needs the same count.
    /// </summary>
    public int StreamCount { get; set; } = 1;

    /// <summary>
    /// Requests and responses on sharded pub/sub (<c>SPUBLISH</c>, <c>SSUBSCRIBE</c>, <c>PUBSUB SHARDNUMSUB</c>; Redis
    /// 7), as the reference's <c>useShardedPubSub</c>, for Redis Cluster; default false. Every node of a cluster needs
    /// the same setting.
    /// </summary>
    public bool UseShardedPubSub { get; set; }

    /// <summary>
    /// The length the stream is trimmed to, approximately, on each append; default <see cref="DefaultMaxLength"/>. A
    /// client whose offset was trimmed away gets a new session.
    /// </summary>
    public int MaxLength { get; set; } = DefaultMaxLength;

    /// <summary>How many entries one read returns at most; default <see cref="DefaultReadCount"/>.</summary>
    public int ReadCount { get; set; } = DefaultReadCount;

    /// <summary>How long one read waits for new entries before it is issued again; default <see cref="DefaultBlockTime"/>.</summary>
    public TimeSpan BlockTime { get; set; } = DefaultBlockTime;

    /// <summary>The prefix of the keys sessions are stored under (followed by the private session id); default <see cref="DefaultSessionKeyPrefix"/>.</summary>
    public string SessionKeyPrefix { get; set; } = DefaultSessionKeyPrefix;

    /// <summary>
    /// The prefix of the pub/sub channels of requests and responses (<c>{prefix}#{nsp}#</c> and
    /// <c>{prefix}#{nsp}#{uid}#</c>); default <see cref="DefaultChannelPrefix"/>.
    /// </summary>
    public string ChannelPrefix { get; set; } = DefaultChannelPrefix;

    /// <summary>How long requests to other nodes wait (fetchSockets without a timeout); default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With connection state recovery on: store each session in Redis as soon as its socket connects and keep it
    /// current (rooms joined and left, <see cref="SocketIoSocket.Data"/> assigned), so that a client whose node dies
    /// without warning resumes its session on another node. Default true. When false, a session is stored only when its
    /// connection drops, as the npm package does (a node killed with <c>kill -9</c> then leaves no session behind).
    /// </summary>
    public bool PersistSessionsWhileConnected { get; set; } = true;

    internal void Validate()
    {
        if (ConnectionMultiplexer is null && string.IsNullOrWhiteSpace(Configuration))
            throw new ArgumentException("Set the Redis configuration string or the connection multiplexer.");
        ArgumentException.ThrowIfNullOrEmpty(StreamName);
        ArgumentException.ThrowIfNullOrEmpty(SessionKeyPrefix);
        ArgumentException.ThrowIfNullOrEmpty(ChannelPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BlockTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestsTimeout, TimeSpan.Zero);
    }
}
