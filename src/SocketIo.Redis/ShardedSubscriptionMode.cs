namespace SocketIo.Redis;

/// <summary>How the sharded adapter spreads broadcasts over channels (<c>subscriptionMode</c> of @socket.io/redis-adapter 8.3.0).</summary>
public enum ShardedSubscriptionMode
{
    /// <summary>Two channels per namespace: every broadcast goes to every node.</summary>
    Static,

    /// <summary>
    /// The default: also one channel per public room (not a socket id), subscribed to by the nodes that have the
    /// room, so a broadcast to one such room reaches only them.
    /// </summary>
    Dynamic,

    /// <summary>Like <see cref="Dynamic"/>, with a channel for private rooms (socket ids) too.</summary>
    DynamicPrivate,
}
