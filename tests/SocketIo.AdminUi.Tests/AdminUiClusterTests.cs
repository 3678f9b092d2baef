using System.Text.Json;
using SocketIo.Redis;
using SocketIo.Redis.Tests;
using SocketIo.Tests.Integration;

namespace SocketIo.AdminUi.Tests;

/// <summary>
/// Two instrumented nodes on a private redis-server: an admin UI connected to node A sees node B's sockets in the
/// socket list, its room changes, and its statistics, as with the npm package in a cluster.
/// </summary>
public sealed class AdminUiClusterTests : IAsyncLifetime
{
    private RedisProcess? _redis;
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        if (RedisProcess.Program is null && Environment.GetEnvironmentVariable("CI") != "true") return;
        _redis = await RedisProcess.StartAsync();
        _a = await StartNodeAsync("node-a");
        _b = await StartNodeAsync("node-b");
    }

    private async Task<TestServer> StartNodeAsync(string serverId)
    {
        var server = await TestServer.StartAsync(
            io => io.Instrument(new AdminUiOptions { AllowAnonymous = true, ServerId = serverId, StatsInterval = TimeSpan.FromMilliseconds(300) }),
            o => o.UseRedisAdapter(_redis!.Configuration, r => r.RequestsTimeout = TimeSpan.FromSeconds(2)));
        foreach (var name in new[] { "/", "/admin" })
            await ((RedisAdapter)server.Io.Of(name).Adapter).Subscribed.WaitAsync(TestServer.Timeout);
        return server;
    }

    public async Task DisposeAsync()
    {
        if (_redis is null) return;
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [RedisFact]
    public async Task An_admin_on_one_node_sees_the_sockets_rooms_and_statistics_of_the_other()
    {
        await using var onB = await RawClient.ConnectAsync(_b);
        var idB = await onB.JoinAsync();
        await using var admin = await RawClient.ConnectAsync(_a);
        var adminId = await JoinAdminAsync(admin);

        var sockets = (await NextAsync(admin, "all_sockets"))[0].EnumerateArray().ToList();
        sockets.Select(s => (s.GetProperty("nsp").GetString(), s.GetProperty("id").GetString()))
            .Should().BeEquivalentTo(new[] { ("/", idB), ("/admin", adminId) });
        var remote = sockets.Single(s => s.GetProperty("id").GetString() == idB);
        remote.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()).Should().Equal(idB);
        remote.GetProperty("handshake").GetProperty("query").GetProperty("EIO").GetString().Should().Be("4");

        _b.Socket(idB).Join("team");
        var joined = await NextAsync(admin, "room_joined", args => args[1].GetString() == "team");
        joined.Take(3).Select(a => a.GetString()).Should().Equal("/", "team", idB);

        var fromB = await NextAsync(admin, "server_stats", args => args[0].GetProperty("serverId").GetString() == "node-b");
        fromB[0].GetProperty("clientsCount").GetInt32().Should().Be(1);
    }

    /// <summary>
    /// Connects to the admin namespace. As with the npm package, the admin socket's own room_joined is broadcast before
    /// its CONNECT reply (the socket joins its room, then is answered), so events may come first.
    /// </summary>
    private static async Task<string> JoinAdminAsync(RawClient admin)
    {
        await admin.SendAsync("40/admin,");
        using var deadline = new CancellationTokenSource(TestServer.Timeout);
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var text = await admin.ReceiveTextAsync();
            if (text.StartsWith("40/admin,", StringComparison.Ordinal))
                return JsonDocument.Parse(text["40/admin,".Length..]).RootElement.GetProperty("sid").GetString()!;
        }
    }

    /// <summary>The arguments of the next admin event called <paramref name="name"/> that matches.</summary>
    private static async Task<JsonElement[]> NextAsync(RawClient admin, string name, Func<JsonElement[], bool>? match = null)
    {
        using var deadline = new CancellationTokenSource(TestServer.Timeout);
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var text = await admin.ReceiveTextAsync();
            const string prefix = "42/admin,";
            if (!text.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var array = JsonDocument.Parse(text[prefix.Length..]).RootElement.EnumerateArray().ToArray();
            if (array[0].GetString() != name) continue;
            var args = array[1..];
            if (match is null || match(args)) return args;
        }
    }
}
