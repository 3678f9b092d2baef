using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>The two-node scenarios on the sharded adapter (dynamic subscription mode, Node's default).</summary>
public sealed class ShardedRedisAdapterTests : TwoNodeAdapterScenarios
{
    private protected override Task SubscribedAsync(TestServer server) => ((ShardedRedisAdapter)server.Io.MainNamespace.Adapter).Subscribed;

    private protected override Task<TestServer> StartServerAsync(string redis) =>
        TestServer.StartAsync(options: o => o.UseShardedRedisAdapter(redis, r => r.RequestsTimeout = TimeSpan.FromSeconds(2)));

    /// <summary>Requests travel on the namespace's own sharded channel.</summary>
    private protected override RedisChannel RequestChannel => RedisChannel.Sharded("socket.io#/#");

    /// <summary>
    /// Dynamic mode (as Node's): a broadcast to one room travels on the room's channel, which the node that has the
    /// room subscribes to when the room appears; until that SSUBSCRIBE is done the broadcast would miss it, in Node too.
    /// </summary>
    private protected override async Task WaitForRoomAsync(string room)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        await WaitUntilAsync(() => ShardSubscribers(redis, "socket.io#/#" + room + "#") > 0);
    }

    [RedisFact]
    public async Task In_dynamic_mode_a_room_has_its_own_channel_while_a_node_has_it()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);

        _b.Socket(_idB).Join("team");
        await WaitUntilAsync(() => ShardSubscribers(redis, "socket.io#/#team#") == 1);
        ShardSubscribers(redis, "socket.io#/#" + _idB + "#").Should().Be(0, "a socket's own room has no channel in dynamic mode");

        _a.Io.To("team").Emit("to-team");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"to-team\"]");

        _b.Socket(_idB).Leave("team");
        await WaitUntilAsync(() => ShardSubscribers(redis, "socket.io#/#team#") == 0);
    }

    private static long ShardSubscribers(IConnectionMultiplexer redis, string channel)
    {
        var result = (RedisResult[])redis.GetDatabase().Execute("PUBSUB", "SHARDNUMSUB", channel)!;
        return (long)result[1];
    }
}
