using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>
/// The two-node scenarios on the Redis Streams adapter with the namespaces spread over three streams and requests on
/// sharded pub/sub (the npm package's <c>streamCount</c> and <c>useShardedPubSub</c>); and a second namespace, which
/// goes to a stream of its own.
/// </summary>
public sealed class RedisStreamsAdapterSeveralStreamsTests : TwoNodeAdapterScenarios
{
    private protected override Task SubscribedAsync(TestServer server) => ((RedisStreamsAdapter)server.Io.MainNamespace.Adapter).Subscribed;

    private protected override Task<TestServer> StartServerAsync(string redis) =>
        TestServer.StartAsync(options: o => o.UseRedisStreamsAdapter(redis, r =>
        {
            r.RequestsTimeout = TimeSpan.FromSeconds(2);
            r.BlockTime = TimeSpan.FromSeconds(1);
            r.StreamCount = 3;
            r.UseShardedPubSub = true;
        }));

    private protected override RedisChannel RequestChannel => RedisChannel.Sharded("socket.io#/#");

    [RedisFact]
    public async Task Each_namespace_is_appended_to_its_own_stream_and_read_from_it_by_the_other_node()
    {
        // "/" goes to socket.io-2, "/notifications" to socket.io--2 (StreamsWireTests has the npm package's figures).
        var notificationsA = _a.Io.Of("/notifications");
        var notificationsB = _b.Io.Of("/notifications");
        await Task.WhenAll(((RedisStreamsAdapter)notificationsA.Adapter).Subscribed, ((RedisStreamsAdapter)notificationsB.Adapter).Subscribed).WaitAsync(Timeout);
        await using var client = await RawClient.ConnectAsync(_b);
        await client.JoinAsync("/notifications");

        notificationsA.Emit("note", 1);
        (await client.ReceiveTextAsync()).Should().Be("42/notifications,[\"note\",1]");
        _a.Io.Emit("main", 2);
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"main\",2]");

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        var database = redis.GetDatabase();
        (await database.StreamLengthAsync("socket.io--2")).Should().Be(1);
        (await database.StreamLengthAsync("socket.io-2")).Should().Be(1);
        (await database.KeyExistsAsync("socket.io")).Should().BeFalse("no namespace writes to the unsuffixed stream");
        (await notificationsA.Adapter.ServerCountAsync()).Should().Be(2, "both nodes listen on the namespace's sharded channel");
    }
}
