using MarketplaceEvents.Cluster;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Presence;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Redis.Tests;
using StackExchange.Redis;

namespace MarketplaceEvents.Tests.Presence;

/// <summary>
/// The specification on a private redis-server, and what only a cluster has: several nodes (each a registry with its
/// own connection), nodes that die, and a Redis that loses its data.
/// </summary>
[RequiresRedis]
public sealed class RedisPresenceRegistryTests : PresenceRegistrySpecification
{
    private readonly List<IDisposable> _connections = [];
    private RedisProcess? _redis;

    private protected override async Task<IPresenceRegistry> CreateAsync()
    {
        _redis = await RedisProcess.StartAsync();
        return Node();
    }

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections) connection.Dispose();
        if (_redis is not null) await _redis.DisposeAsync();
    }

    [PresenceFact]
    public async Task Nodes_share_one_count_and_one_presence()
    {
        var (a, b) = (Node(), Node());
        (await a.TryAddAsync("u", "s1", 2)).Should().Be(PresenceAdmission.CameOnline);
        (await b.TryAddAsync("u", "s2", 2)).Should().Be(PresenceAdmission.Added, "node B sees the user online through node A");
        (await b.TryAddAsync("u", "s3", 2)).Should().Be(PresenceAdmission.Refused);
        (await a.RemoveAsync("u", "s1")).Should().BeFalse();
        (await b.RemoveAsync("u", "s2")).Should().BeTrue();
    }

    [PresenceFact]
    public async Task Two_nodes_reaping_a_dead_node_at_once_report_each_of_its_users_offline_once()
    {
        var (dead, a, b) = (Node(), Node(), Node());
        for (var i = 0; i < 50; i++) await dead.TryAddAsync("user" + i, "dead-s" + i, 10);
        await a.TryAddAsync("user0", "a-s0", 10);
        await KillAsync(dead);

        var reaped = await Task.WhenAll(Task.Run(() => a.ReapDeadNodesAsync()), Task.Run(() => b.ReapDeadNodesAsync()));
        reaped.SelectMany(r => r).Should().BeEquivalentTo(Enumerable.Range(1, 49).Select(i => "user" + i), "user0 is still connected to node A");
        (await a.IsOnlineAsync("user0")).Should().BeTrue();
        (await a.ConnectionsOfAsync("user0")).Should().Be(1);
        (await b.ReapDeadNodesAsync()).Should().BeEmpty("a node is reaped once");
    }

    [PresenceFact]
    public async Task A_large_dead_node_is_reaped_a_batch_per_script_each_of_its_users_reported_offline_once()
    {
        var (dead, a, b) = (Node(), Node(reapBatchSize: 4), Node(reapBatchSize: 4));
        for (var i = 0; i < 25; i++) await dead.TryAddAsync("user" + i, "dead-s" + i, 10);
        await a.TryAddAsync("user0", "a-s0", 10);
        await KillAsync(dead);
        var prefix = RedisStateConnection.KeyPrefix;
        var nodeKey = prefix + "node:" + dead.NodeId;

        // One script forgets one batch and says that more is left.
        var first = (RedisResult[])(await Database().ScriptEvaluateAsync(RedisPresenceScripts.ReapDeadNodes,
            [prefix + "nodes", prefix + "status"], [prefix, 4]))!;
        ((int)first[0]).Should().Be(1);
        (await Database().HashLengthAsync(nodeKey)).Should().Be(21);

        var reaped = await Task.WhenAll(Task.Run(() => a.ReapDeadNodesAsync()), Task.Run(() => b.ReapDeadNodesAsync()));
        first.Skip(1).Select(r => r.ToString()).Concat(reaped.SelectMany(r => r))
            .Should().BeEquivalentTo(Enumerable.Range(1, 24).Select(i => "user" + i), "user0 is still connected to node A");
        (await Database().KeyExistsAsync(nodeKey)).Should().BeFalse();
        (await Database().SetContainsAsync(prefix + "nodes", dead.NodeId)).Should().BeFalse();
        (await a.ConnectionsOfAsync("user0")).Should().Be(1);
        (await b.ReapDeadNodesAsync()).Should().BeEmpty("a node is reaped once");
    }

    [PresenceFact]
    public async Task A_connection_resumed_on_another_node_survives_the_reaping_of_the_node_it_left()
    {
        var (dead, a) = (Node(), Node());
        await dead.TryAddAsync("u", "same-socket", 10);
        // Connection state recovery: the client is back on node A with the same socket id before node B is reaped.
        (await a.TryAddAsync("u", "same-socket", 10)).Should().Be(PresenceAdmission.Added);
        await KillAsync(dead);

        (await a.ReapDeadNodesAsync()).Should().BeEmpty();
        (await a.IsOnlineAsync("u")).Should().BeTrue();
        (await a.RemoveAsync("u", "same-socket")).Should().BeTrue("node A owns it now");
    }

    [PresenceFact]
    public async Task A_heartbeat_keeps_a_node_alive_and_a_missed_one_gets_it_reaped()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        var (short1, observer) = (Node(timeout), Node());
        await short1.TryAddAsync("u", "s1", 10);
        (await observer.ReapDeadNodesAsync()).Should().BeEmpty();

        // No heartbeat for longer than the timeout: the key expires in Redis itself.
        using var expired = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        IReadOnlyList<string> reaped;
        do
        {
            await Task.Delay(50, expired.Token);
            reaped = await observer.ReapDeadNodesAsync();
        }
        while (reaped.Count == 0);
        reaped.Should().Equal("u");
    }

    [PresenceFact]
    public async Task A_node_registers_its_connections_again_when_Redis_lost_them()
    {
        var node = Node();
        await node.TryAddAsync("u", "s1", 10);
        await node.TryAddAsync("u", "s2", 10);
        await node.RemoveAsync("u", "s2");
        // Restarted without persistence: everything is gone.
        await _redis!.StopAsync();
        await _redis.StartAgainAsync();

        // The next heartbeat that gets through (once the connection is back) puts the live connections back.
        using var reconnected = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        PresenceChanges changes;
        while (true)
        {
            try
            {
                changes = await node.HeartbeatAsync();
                break;
            }
            catch (RedisConnectionException)
            {
                // Not reconnected yet: retried shortly, bounded.
                await Task.Delay(50, reconnected.Token);
            }
        }
        changes.CameOnline.Should().Equal("u");
        (await node.ConnectionsOfAsync("u")).Should().Be(1, "the live connection only");
        (await node.HeartbeatAsync()).CameOnline.Should().BeEmpty("nothing was lost since");
    }

    [PresenceFact]
    public async Task A_registration_on_a_node_that_was_reaped_registers_its_connections_again_for_the_next_beat_to_report()
    {
        var (node, other) = (Node(), Node());
        await node.TryAddAsync("u", "s1", 10);
        await KillAsync(node);
        (await other.ReapDeadNodesAsync()).Should().Equal("u");

        (await node.TryAddAsync("v", "s2", 10)).Should().Be(PresenceAdmission.CameOnline);
        (await other.IsOnlineAsync("u")).Should().BeTrue("the node was alive after all: its connection counts again");
        (await node.HeartbeatAsync()).CameOnline.Should().Equal(["u"], "announced by the regular beat");
        (await node.HeartbeatAsync()).CameOnline.Should().BeEmpty();
    }

    [PresenceFact]
    public async Task A_node_that_leaves_reports_its_users_offline_at_once()
    {
        var (leaving, other) = (Node(), Node());
        await leaving.TryAddAsync("u", "s1", 10);
        await leaving.TryAddAsync("v", "s2", 10);
        await other.TryAddAsync("v", "s3", 10);

        (await leaving.LeaveAsync()).Should().Equal("u");
        (await other.IsOnlineAsync("v")).Should().BeTrue();
        (await leaving.RemoveAsync("u", "s1")).Should().BeFalse("the leave announced it already");
    }

    private RedisPresenceRegistry Node(TimeSpan? timeout = null, int reapBatchSize = 1000)
    {
        var connection = new RedisStateConnection(_redis!.Configuration);
        _connections.Add(connection);
        var options = new RealtimeOptions { NodeTimeout = timeout ?? TimeSpan.FromMinutes(1) };
        return new RedisPresenceRegistry(connection, Microsoft.Extensions.Options.Options.Create(options), NullLogger<RedisPresenceRegistry>.Instance)
        {
            ReapBatchSize = reapBatchSize,
        };
    }

    /// <summary>The node's heartbeat ends at once, as when it dies and its key expires.</summary>
    private async Task KillAsync(RedisPresenceRegistry node) => await Database().KeyDeleteAsync(RedisStateConnection.KeyPrefix + "alive:" + node.NodeId);

    private IDatabase Database()
    {
        var connection = new RedisStateConnection(_redis!.Configuration);
        _connections.Add(connection);
        return connection.Database;
    }
}
