namespace MarketplaceEvents.Presence;

/// <summary>
/// The Lua scripts of <see cref="RedisPresenceRegistry"/>. Each runs atomically in Redis, so of two nodes racing for
/// the same transition (the last place under the limit, a user's first connection or last one, a dead node's
/// cleanup) exactly one sees it.
/// </summary>
/// <remarks>
/// The keys (under <see cref="Cluster.RedisStateConnection.KeyPrefix"/>): <c>user:ID</c>, a hash of the user's
/// connections (socket id → node id); <c>node:ID</c>, a hash of a node's connections (socket id → user id), for
/// the cleanup after its death; <c>status</c>, a hash of the online users' status (a user is online exactly when
/// it has a field there); <c>nodes</c>, the set of the nodes that registered; <c>alive:ID</c>, a node's heartbeat,
/// which expires when the node stops refreshing it.
/// </remarks>
internal static class RedisPresenceScripts
{
    /// <summary>
    /// KEYS: user, node, status, alive. ARGV: socket, node, user, max, initial status. Returns -2 when this node's
    /// heartbeat has lapsed (it must beat, and re-register, first), -1 at the limit, 1 when the user came online, 0
    /// otherwise. A connection already registered (the same socket id, resumed here) does not count twice.
    /// </summary>
    public const string Add =
        """
        if redis.call('EXISTS', KEYS[4]) == 0 then return -2 end
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return -1 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[5])
        """;

    /// <summary>
    /// KEYS: user, node, status. ARGV: socket, node, user. Returns 1 when that was the user's last connection. A
    /// connection that another node took over since (resumed there with the same id) is left to that node.
    /// </summary>
    public const string Remove =
        """
        redis.call('HDEL', KEYS[2], ARGV[1])
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        return redis.call('HDEL', KEYS[3], ARGV[3])
        """;

    /// <summary>
    /// KEYS: alive, nodes, status. ARGV: node, time to live (ms). Returns {1 when the heartbeat was still alive, else
    /// 0 (the node is new, lapsed, or Redis lost its data: it registers its connections again); the online users}.
    /// </summary>
    public const string Heartbeat =
        """
        redis.call('SADD', KEYS[2], ARGV[1])
        local alive = 1
        if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[2], 'XX') then
          redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
          alive = 0
        end
        return {alive, redis.call('HLEN', KEYS[3])}
        """;

    /// <summary>
    /// KEYS: nodes, status. ARGV: key prefix, batch size. Forgets the connections of the registered nodes whose
    /// heartbeat expired, at most a batch of them per call, and a dead node once it has none left. Returns {1 when a
    /// dead node's connections remain for another call, else 0; then the users who were online through the forgotten
    /// connections alone (now offline, each returned once in the cluster)}.
    /// </summary>
    /// <remarks>
    /// A batch, not the whole node: a script holds Redis for every other client while it runs, and a dead node of
    /// 50,000 connections in one go would stall the whole cluster's pub/sub for a sizeable part of a second.
    /// <c>HRANDFIELD</c> (Redis 6.2) takes a batch without a cursor; what is taken is deleted, so the next call finds
    /// the rest.
    /// </remarks>
    public const string ReapDeadNodes =
        """
        local result = {0}
        local budget = tonumber(ARGV[2])
        for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          if redis.call('EXISTS', ARGV[1] .. 'alive:' .. node) == 0 then
            if budget <= 0 then
              result[1] = 1
              return result
            end
            local nodeKey = ARGV[1] .. 'node:' .. node
            local connections = redis.call('HRANDFIELD', nodeKey, budget, 'WITHVALUES')
            for i = 1, #connections, 2 do
              local socket, user = connections[i], connections[i + 1]
              local userKey = ARGV[1] .. 'user:' .. user
              if redis.call('HGET', userKey, socket) == node then
                redis.call('HDEL', userKey, socket)
                if redis.call('EXISTS', userKey) == 0 and redis.call('HDEL', KEYS[2], user) == 1 then
                  result[#result + 1] = user
                end
              end
              redis.call('HDEL', nodeKey, socket)
            end
            budget = budget - #connections / 2
            if redis.call('EXISTS', nodeKey) == 1 then
              result[1] = 1
              return result
            end
            redis.call('SREM', KEYS[1], node)
          end
        end
        return result
        """;

    /// <summary>KEYS: status. ARGV: user, status. Returns 1 when the online user's status changed.</summary>
    public const string SetStatus =
        """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if not current or current == ARGV[2] then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;
}
