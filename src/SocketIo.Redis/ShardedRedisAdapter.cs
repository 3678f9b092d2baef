using System.Collections.Concurrent;
using SocketIo.Adapters.Cluster;
using SocketIo.Redis.Internal;
using ClusterMessage = SocketIo.Adapters.Cluster.ClusterMessage;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>
/// The sharded Redis adapter, wire-compatible with <c>createShardedAdapter</c> of @socket.io/redis-adapter 8.3.0:
/// Redis 7 <c>SPUBLISH</c>/<c>SSUBSCRIBE</c> on <c>{prefix}#{nsp}#</c>, this node's <c>{prefix}#{nsp}#{uid}#</c> for
/// responses, and (dynamic modes) <c>{prefix}#{nsp}#{room}#</c> per room; the server count is
/// <c>PUBSUB SHARDNUMSUB</c> of the namespace channel. A thin transport: the messages are <see cref="ClusterAdapter"/>'s.
/// </summary>
public sealed class ShardedRedisAdapter : ClusterAdapter
{
    private readonly RedisAdapterConnection _connection;
    private readonly ShardedSubscriptionMode _mode;
    private readonly string _channel;
    private readonly string _responseChannel;
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> _subscriptions = new(StringComparer.Ordinal);
    private readonly Task _subscribed;
    private int _closed;

    internal ShardedRedisAdapter(SocketIoNamespace @namespace, RedisAdapterConnection connection, ShardedRedisAdapterOptions options)
        : base(@namespace)
    {
        _connection = connection;
        _mode = options.SubscriptionMode;
        RequestTimeout = options.RequestsTimeout;
        _channel = options.ChannelPrefix + "#" + @namespace.Name + "#";
        _responseChannel = _channel + Uid + "#";
        connection.AddUser();
        _subscribed = Task.WhenAll(SubscribeAsync(_channel), SubscribeAsync(_responseChannel));
    }

    /// <summary>Completes once this adapter listens to its namespace and response channels.</summary>
    public Task Subscribed => _subscribed;

    private async Task SubscribeAsync(string channel)
    {
        var queue = await _connection.SubscribeAsync(RedisChannel.Sharded(channel), () => Volatile.Read(ref _closed) == 1).ConfigureAwait(false);
        // One queue per channel keeps each channel's messages in order.
        queue.OnMessage(message => OnReceived((byte[])message.Message!, channel == _responseChannel));
        if (!_subscriptions.TryAdd(channel, queue) || Volatile.Read(ref _closed) == 1)
        {
            await queue.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private async Task UnsubscribeAsync(string channel)
    {
        if (_subscriptions.TryRemove(channel, out var queue)) await queue.UnsubscribeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<string?> PublishAsync(ClusterMessage message)
    {
        await _connection.Subscriber.PublishAsync(RedisChannel.Sharded(ChannelOf(message)), message.Encode()).ConfigureAwait(false);
        return null;
    }

    /// <inheritdoc />
    protected override Task PublishResponseAsync(string requesterUid, ClusterMessage response) =>
        _connection.Subscriber.PublishAsync(RedisChannel.Sharded(_channel + requesterUid + "#"), response.Encode());

    /// <summary>
    /// A broadcast without acknowledgements to exactly one room goes to that room's channel (dynamic: unless the room
    /// looks like a socket id, 20 characters; dynamic-private: always); everything else to the namespace channel.
    /// </summary>
    private string ChannelOf(ClusterMessage message)
    {
        if (_mode != ShardedSubscriptionMode.Static && message.SingleBroadcastRoom is { } room
            && (_mode == ShardedSubscriptionMode.DynamicPrivate || room.Length != 20))
        {
            return _channel + room + "#";
        }
        return _channel;
    }

    /// <summary>The number of nodes on this namespace's channel (<c>PUBSUB SHARDNUMSUB</c>), this one included.</summary>
    public override async ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default)
    {
        var result = await _connection.Multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "SHARDNUMSUB", (RedisValue)_channel).WaitAsync(cancellationToken).ConfigureAwait(false);
        var values = (RedisResult[])result!;
        return values.Length >= 2 ? (int)values[1] : 0;
    }

    // ---- Room channels (dynamic modes) ------------------------------------------------------------------------

    /// <inheritdoc />
    public override void AddAll(string socketId, IEnumerable<string> rooms)
    {
        var list = rooms as IReadOnlyCollection<string> ?? rooms.ToList();
        List<string>? created = null;
        if (_mode != ShardedSubscriptionMode.Static)
        {
            foreach (var room in list)
            {
                if (!HasRoom(room) && UsesOwnChannel(socketId, room)) (created ??= []).Add(room);
            }
        }
        base.AddAll(socketId, list);
        if (created is not null)
        {
            foreach (var room in created) _ = SubscribeAsync(_channel + room + "#");
        }
    }

    /// <inheritdoc />
    public override void Delete(string socketId, string room)
    {
        base.Delete(socketId, room);
        if (_mode != ShardedSubscriptionMode.Static && !HasRoom(room) && UsesOwnChannel(socketId, room)) _ = UnsubscribeAsync(_channel + room + "#");
    }

    /// <inheritdoc />
    public override void DeleteAll(string socketId)
    {
        var rooms = _mode == ShardedSubscriptionMode.Static ? null : SocketRooms(socketId).ToList();
        base.DeleteAll(socketId);
        if (rooms is null) return;
        foreach (var room in rooms)
        {
            if (!HasRoom(room) && UsesOwnChannel(socketId, room)) _ = UnsubscribeAsync(_channel + room + "#");
        }
    }

    /// <summary>Dynamic: public rooms only (not the socket's own room); dynamic-private: every room.</summary>
    private bool UsesOwnChannel(string socketId, string room) =>
        _mode == ShardedSubscriptionMode.DynamicPrivate || (_mode == ShardedSubscriptionMode.Dynamic && room != socketId);

    /// <inheritdoc />
    public override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        foreach (var channel in _subscriptions.Keys.ToList()) await UnsubscribeAsync(channel).ConfigureAwait(false);
        await _connection.ReleaseAsync().ConfigureAwait(false);
        await base.CloseAsync().ConfigureAwait(false);
    }
}
