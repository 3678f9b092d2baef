using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>The two-node scenarios on the classic Redis adapter.</summary>
public sealed class RedisAdapterTests : TwoNodeAdapterScenarios
{
    private protected override Task SubscribedAsync(TestServer server) => ((RedisAdapter)server.Io.MainNamespace.Adapter).Subscribed;

    private protected override Task<TestServer> StartServerAsync(string redis) =>
        TestServer.StartAsync(options: o => o.UseRedisAdapter(redis, r => r.RequestsTimeout = TimeSpan.FromSeconds(2)));

    /// <summary>Requests have their own channel in the classic adapter.</summary>
    private protected override RedisChannel RequestChannel => RedisChannel.Literal("socket.io-request#/#");
}
