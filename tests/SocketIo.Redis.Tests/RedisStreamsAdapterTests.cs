using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>The two-node scenarios on the Redis Streams adapter (connection state recovery off).</summary>
public sealed class RedisStreamsAdapterTests : TwoNodeAdapterScenarios
{
    private protected override Task SubscribedAsync(TestServer server) => ((RedisStreamsAdapter)server.Io.MainNamespace.Adapter).Subscribed;

    private protected override Task<TestServer> StartServerAsync(string redis) =>
        TestServer.StartAsync(options: o => o.UseRedisStreamsAdapter(redis, r =>
        {
            r.RequestsTimeout = TimeSpan.FromSeconds(2);
            r.BlockTime = TimeSpan.FromSeconds(1);
        }));

    /// <summary>Requests travel on the namespace's pub/sub channel; broadcasts and room operations on the stream.</summary>
    private protected override RedisChannel RequestChannel => RedisChannel.Literal("socket.io#/#");
}
