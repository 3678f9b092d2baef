using System.Collections.Concurrent;
using MarketplaceEvents.Cluster;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts.Requests;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketplaceEvents.Presence;

/// <summary>
/// Presence and the per-user connection limit of a cluster, in Redis (<see cref="RedisPresenceScripts"/>): each
/// connection is registered under its user and under its node. Each node keeps a heartbeat key alive
/// (<see cref="HeartbeatAsync"/>); a node whose heartbeat expired (killed, frozen, cut off) is reaped by whichever
/// node looks first (<see cref="ReapDeadNodesAsync"/>), and its users who had no other connection go offline then,
/// each reported once. A node that finds its own heartbeat lapsed, or Redis emptied, registers its live connections
/// again.
/// </summary>
internal sealed partial class RedisPresenceRegistry : IPresenceRegistry
{
    private const string Prefix = RedisStateConnection.KeyPrefix;
    private static readonly RedisKey StatusKey = Prefix + "status";
    private static readonly RedisKey NodesKey = Prefix + "nodes";

    private readonly RedisStateConnection _redis;
    private readonly RealtimeOptions _options;
    private readonly ILogger<RedisPresenceRegistry> _logger;
    private readonly RedisKey _nodeKey;
    private readonly RedisKey _aliveKey;
    // This node's registered connections (socket id → user id): what it registers again after a lapse.
    private readonly ConcurrentDictionary<string, string> _local = new(StringComparer.Ordinal);
    // Removals Redis did not take (an outage): retried at each heartbeat, so that no connection stays counted forever.
    private readonly ConcurrentQueue<(string UserId, string SocketId)> _pendingRemovals = new();
    // Changes found by a beat that a registration ran (see TryAddAsync), for the next regular beat to report.
    private readonly ConcurrentQueue<string> _deferredOnline = new();
    private readonly ConcurrentQueue<string> _deferredOffline = new();
    private volatile int _onlineUsers;
    private volatile bool _left;

    public RedisPresenceRegistry(RedisStateConnection redis, IOptions<RealtimeOptions> options, ILogger<RedisPresenceRegistry> logger)
    {
        _redis = redis;
        _options = options.Value;
        _logger = logger;
        NodeId = Guid.NewGuid().ToString("N");
        _nodeKey = Prefix + "node:" + NodeId;
        _aliveKey = Prefix + "alive:" + NodeId;
    }

    /// <summary>How many of a dead node's connections one reaping script forgets (the tests lower it).</summary>
    internal int ReapBatchSize { get; init; } = 1000;

    /// <summary>This node's id in the cluster's presence keys (a fresh one at each start).</summary>
    public string NodeId { get; }

    public int OnlineUsers => _onlineUsers;

    public async Task<int> ConnectionsOfAsync(string userId, CancellationToken cancellationToken = default) =>
        (int)await _redis.Database.HashLengthAsync(UserKey(userId)).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async Task<PresenceAdmission> TryAddAsync(string userId, string socketId, int maxPerUser, CancellationToken cancellationToken = default)
    {
        var result = await AddAsync(userId, socketId, maxPerUser, cancellationToken).ConfigureAwait(false);
        if (result == -2)
        {
            // The heartbeat lapsed (or this node has not beaten yet): beat, registering the live connections again,
            // then add. What that changed is handed to the next regular beat, whose caller announces it.
            var changes = await BeatAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in changes.CameOnline) _deferredOnline.Enqueue(id);
            foreach (var id in changes.WentOffline) _deferredOffline.Enqueue(id);
            result = await AddAsync(userId, socketId, maxPerUser, cancellationToken).ConfigureAwait(false);
        }
        if (result < 0) return PresenceAdmission.Refused;
        _local[socketId] = userId;
        return result == 1 ? PresenceAdmission.CameOnline : PresenceAdmission.Added;
    }

    public async Task<bool> RemoveAsync(string userId, string socketId, CancellationToken cancellationToken = default)
    {
        _local.TryRemove(new KeyValuePair<string, string>(socketId, userId));
        // After a clean leave the node's connections are gone from Redis, and their users announced, already.
        if (_left) return false;
        try
        {
            return await RemoveInRedisAsync(userId, socketId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            Log.RemovalDeferred(_logger, socketId, userId, ex);
            _pendingRemovals.Enqueue((userId, socketId));
            return false;
        }
    }

    public async Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default) =>
        await _redis.Database.HashExistsAsync(StatusKey, userId).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, string>> StatusesAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        if (userIds.Count == 0) return statuses;
        var ids = userIds.ToArray();
        var values = await _redis.Database.HashGetAsync(StatusKey, ids.Select(id => (RedisValue)id).ToArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ids.Length; i++)
        {
            if (!values[i].IsNull) statuses[ids[i]] = values[i].ToString();
        }
        return statuses;
    }

    public async Task<bool> TrySetStatusAsync(string userId, string status, CancellationToken cancellationToken = default) =>
        (int)await _redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.SetStatus, [StatusKey], [userId, status])
            .WaitAsync(cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Refreshes this node's heartbeat, retries the removals Redis missed, and when the heartbeat had lapsed (or Redis
    /// lost its data) registers this node's live connections again. Returns the users that came online by that, and
    /// those that went offline by the retried removals: the caller announces both.
    /// </summary>
    public async Task<PresenceChanges> HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        var changes = await BeatAsync(cancellationToken).ConfigureAwait(false);
        if (_deferredOnline.IsEmpty && _deferredOffline.IsEmpty) return changes;
        var online = new List<string>(changes.CameOnline);
        var offline = new List<string>(changes.WentOffline);
        while (_deferredOnline.TryDequeue(out var id)) online.Add(id);
        while (_deferredOffline.TryDequeue(out var id)) offline.Add(id);
        return new PresenceChanges(online, offline);
    }

    private async Task<PresenceChanges> BeatAsync(CancellationToken cancellationToken)
    {
        var ttl = (long)_options.NodeTimeout.TotalMilliseconds;
        var reply = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Heartbeat, [_aliveKey, NodesKey, StatusKey], [NodeId, ttl])
            .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        _onlineUsers = (int)reply[1];
        var online = new List<string>();
        var offline = new List<string>();

        var pending = _pendingRemovals.Count;
        for (var i = 0; i < pending && _pendingRemovals.TryDequeue(out var removal); i++)
        {
            if (await RemoveAsync(removal.UserId, removal.SocketId, cancellationToken).ConfigureAwait(false)) offline.Add(removal.UserId);
        }

        if ((int)reply[0] == 0 && !_local.IsEmpty)
        {
            Log.Reregistering(_logger, NodeId, _local.Count);
            foreach (var (socketId, userId) in _local)
            {
                // Admitted already: the limit was checked then, and the connection is not dropped now for it.
                var added = await AddAsync(userId, socketId, int.MaxValue, cancellationToken).ConfigureAwait(false);
                if (!_local.ContainsKey(socketId))
                {
                    // Closed meanwhile, its removal possibly done before this addition: removed again.
                    if (await RemoveAsync(userId, socketId, cancellationToken).ConfigureAwait(false) && added != 1) offline.Add(userId);
                    continue;
                }
                if (added == 1) online.Add(userId);
            }
        }
        return new PresenceChanges(online, offline);
    }

    /// <summary>
    /// Forgets the nodes whose heartbeat expired, with their connections; returns the users who are offline by that
    /// (each returned to one caller in the cluster only), for the caller to announce.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReapDeadNodesAsync(CancellationToken cancellationToken = default)
    {
        var offline = new List<string>();
        bool more;
        do
        {
            // One batch per script (see the script's remarks): other clients' commands run between two batches.
            var reply = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.ReapDeadNodes, [NodesKey, StatusKey], [Prefix, ReapBatchSize])
                .WaitAsync(cancellationToken).ConfigureAwait(false))!;
            more = (int)reply[0] == 1;
            for (var i = 1; i < reply.Length; i++) offline.Add(reply[i].ToString());
        }
        while (more);
        if (offline.Count > 0) Log.Reaped(_logger, offline.Count);
        return offline;
    }

    /// <summary>
    /// A clean shutdown: ends this node's heartbeat at once and reaps it, rather than leaving its users online until
    /// the heartbeat expires. Returns the users who went offline by that.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeaveAsync(CancellationToken cancellationToken = default)
    {
        _left = true;
        _local.Clear();
        await _redis.Database.KeyDeleteAsync(_aliveKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await ReapDeadNodesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> AddAsync(string userId, string socketId, int maxPerUser, CancellationToken cancellationToken) =>
        (int)await _redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Add,
                [UserKey(userId), _nodeKey, StatusKey, _aliveKey], [socketId, NodeId, userId, maxPerUser, PresenceStatusRequest.Online])
            .WaitAsync(cancellationToken).ConfigureAwait(false);

    private async Task<bool> RemoveInRedisAsync(string userId, string socketId) =>
        (int)await _redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Remove, [UserKey(userId), _nodeKey, StatusKey], [socketId, NodeId, userId])
            .ConfigureAwait(false) == 1;

    private static RedisKey UserKey(string userId) => Prefix + "user:" + userId;
}

/// <summary>The presence transitions a heartbeat found, for its caller to announce.</summary>
internal sealed record PresenceChanges(IReadOnlyList<string> CameOnline, IReadOnlyList<string> WentOffline);
