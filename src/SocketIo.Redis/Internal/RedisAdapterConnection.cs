using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIo.Redis.Internal;

/// <summary>
/// The Redis connection the adapters of one server share. It logs each outage once, and disposes the multiplexer
/// it created itself when the last adapter closes (one given by the application stays the application's).
/// </summary>
internal sealed partial class RedisAdapterConnection
{
    private readonly bool _owned;
    private readonly ILogger _logger;
    private int _users;
    private int _down;

    public RedisAdapterConnection(IConnectionMultiplexer multiplexer, bool owned, ILogger logger)
    {
        Multiplexer = multiplexer;
        _owned = owned;
        _logger = logger;
        Subscriber = multiplexer.GetSubscriber();
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        if (!multiplexer.IsConnected) OnDown(null);
    }

    public IConnectionMultiplexer Multiplexer { get; }

    public ISubscriber Subscriber { get; }

    public void AddUser() => Interlocked.Increment(ref _users);

    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _users) > 0) return;
        Multiplexer.ConnectionFailed -= OnConnectionFailed;
        Multiplexer.ConnectionRestored -= OnConnectionRestored;
        if (_owned) await Multiplexer.DisposeAsync().ConfigureAwait(false);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => OnDown(e.Exception);

    private void OnDown(Exception? exception)
    {
        // The multiplexer reports each of its connections (interactive, subscription) and each retry: one line per outage.
        if (Interlocked.Exchange(ref _down, 1) == 0) Log.RedisDown(_logger, exception);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Multiplexer.IsConnected && Interlocked.Exchange(ref _down, 0) == 1) Log.RedisBack(_logger);
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Warning, "Redis is unreachable: this node keeps serving its own clients; broadcasts to and from the other nodes resume when Redis is back.", EventName = "RedisUnreachable")]
        public static partial void RedisDown(ILogger logger, Exception? exception);

        [LoggerMessage(1101, LogLevel.Information, "Redis is reachable again: this node is back in the cluster.", EventName = "RedisReachable")]
        public static partial void RedisBack(ILogger logger);
    }
}
