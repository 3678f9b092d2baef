using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>The two-node scenarios on the Redis Streams adapter (connection state recovery off).</summary>
public sealed class RedisStreamsAdapterTests : TwoNodeAdapterScenarios
{
    private protected override async Task<TestServer> StartNodeAsync(string redis)
    {
        var server = await TestServer.StartAsync(options: o => o.UseRedisStreamsAdapter(redis, r =>
        {
            r.RequestsTimeout = TimeSpan.FromSeconds(2);
            r.BlockTime = TimeSpan.FromSeconds(1);
        }));
        await ((RedisStreamsAdapter)server.Io.MainNamespace.Adapter).Subscribed.WaitAsync(Timeout);
        return server;
    }

    /// <summary>Requests travel on the namespace's pub/sub channel; broadcasts and room operations on the stream.</summary>
    private protected override RedisChannel RequestChannel => RedisChannel.Literal("socket.io#/#");
}
