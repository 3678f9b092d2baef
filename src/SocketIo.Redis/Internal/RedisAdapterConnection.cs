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
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);
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

    /// <summary>
    /// Subscribes to <paramref name="channel"/>, trying again while Redis is unreachable (a node that starts before
    /// Redis, or during an outage, joins the cluster once Redis is there) until <paramref name="closed"/> says the
    /// adapter closed, which ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<ChannelMessageQueue> SubscribeAsync(RedisChannel channel, Func<bool> closed)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                return await Subscriber.SubscribeAsync(channel).ConfigureAwait(false);
            }
            catch (RedisException) when (!closed())
            {
                // The multiplexer keeps a failed subscription (with its queue, which nobody would read) to restore it
                // on reconnection; it is dropped here, and made again below with a queue that is read.
                await DropAsync(channel).ConfigureAwait(false);
                await Task.Delay(delay).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            if (closed()) throw new OperationCanceledException("The adapter closed before Redis was reachable.");
        }
    }

    private async Task DropAsync(RedisChannel channel)
    {
        try
        {
            await Subscriber.UnsubscribeAsync(channel, null, CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Unreachable still: the local subscription is gone all the same, and the server has none.
        }
    }

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
