using System.Text.Json;
using SocketIo.Redis.Internal.Streams;
using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>
/// Connection state recovery across nodes with the Redis Streams adapter: two in-process nodes on a private
/// redis-server, recovery on, a raw WebSocket client. Node A reaches Redis as its own ACL user, so that a crash can be
/// simulated: the user is switched off and its connections killed, and from then on nothing A does reaches Redis (as
/// after a <c>kill -9</c>: no session is written when its clients drop).
/// </summary>
public sealed class RedisStreamsRecoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;
    private RedisProcess? _redis;
    private ConnectionMultiplexer _admin = null!;
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        if (RedisProcess.Program is null && Environment.GetEnvironmentVariable("CI") != "true") return;
        _redis = await RedisProcess.StartAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration + ",allowAdmin=true");
        await _admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "nodea", "on", ">secret", "~*", "&*", "+@all");
        _a = await StartNodeAsync(_redis.Configuration + ",user=nodea,password=secret");
        _b = await StartNodeAsync(_redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        if (_redis is null) return;
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static async Task<TestServer> StartNodeAsync(string redis)
    {
        var server = await TestServer.StartAsync(options: o =>
        {
            o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
            o.UseRedisStreamsAdapter(redis, r => r.BlockTime = TimeSpan.FromSeconds(1));
        });
        await ((RedisStreamsAdapter)server.Io.MainNamespace.Adapter).Subscribed.WaitAsync(Timeout);
        return server;
    }

    [RedisFact]
    public async Task A_client_whose_node_died_resumes_its_session_on_another_node_with_the_events_it_missed_in_order_once()
    {
        var client = await RawClient.ConnectAsync(_a);
        var (sid, pid) = await ConnectAsync(client, auth: null);
        _a.Socket(sid).Join("team");
        _a.Socket(sid).Data = new { name = "ann" };
        // Stored while connected: the crash below leaves it behind.
        await WaitUntilAsync(async () => await StoredSessionAsync(pid) is { } s && s.Rooms.Contains("team") && s.Data is JsonElement d && d.TryGetProperty("name", out _));

        _b.Io.To("team").Emit("one");
        var offset = OffsetOf(await client.ReceiveTextAsync(), "one");

        await CrashAsync("nodea");
        _b.Io.To("team").Emit("two");
        _b.Io.To("other").Emit("not-for-us");
        _b.Io.Except("team").Emit("excluded");
        _b.Io.Emit("three");
        await WaitUntilAsync(async () => await _admin.GetDatabase().StreamLengthAsync("socket.io") == 5);
        await _a.DisposeAsync();
        await client.DisposeAsync();
        (await StoredSessionAsync(pid)).Should().NotBeNull("the crashed node wrote nothing when its client dropped");

        var resumed = await RawClient.ConnectAsync(_b);
        var (sid2, pid2) = await ConnectAsync(resumed, auth: $$"""{"pid":"{{pid}}","offset":"{{offset}}"}""");
        sid2.Should().Be(sid);
        pid2.Should().Be(pid);
        var two = await resumed.ReceiveTextAsync();
        OffsetOf(two, "two");
        var three = await resumed.ReceiveTextAsync();
        OffsetOf(three, "three");
        _b.Io.To("team").Emit("live");
        OffsetOf(await resumed.ReceiveTextAsync(), "live");

        var socket = _b.Socket(sid);
        socket.Recovered.Should().BeTrue();
        socket.Rooms.Should().BeEquivalentTo([sid, "team"]);
        ((JsonElement)socket.Data!).GetProperty("name").GetString().Should().Be("ann");
        // Node B keeps the resumed session in Redis in turn (taken by the restore, written again once it connected).
        await WaitUntilAsync(async () => await StoredSessionAsync(pid) is { } again && again.Rooms.Contains("team"));
        await resumed.DisposeAsync();
    }

    [RedisFact]
    public async Task Sockets_of_one_node_get_increasing_stream_offsets_and_a_dropped_connection_resumes_on_the_other_node()
    {
        var client = await RawClient.ConnectAsync(_b);
        var (sid, pid) = await ConnectAsync(client, auth: null);
        // Two nodes append at once: whatever their order in the stream, the client gets them in that order.
        _a.Io.Emit("x");
        _b.Io.Emit("x");
        var first = OffsetOf(await client.ReceiveTextAsync(), "x");
        var second = OffsetOf(await client.ReceiveTextAsync(), "x");
        StreamOffset.Compare(first, second).Should().BeNegative("a node delivers the stream in order, its own broadcasts included");

        // A graceful drop: the session is stored (again) with the rooms of the moment.
        _b.Socket(sid).Join("late");
        await client.DisposeAsync();
        await _b.DisconnectReasonAsync(sid).WaitAsync(Timeout);
        _a.Io.To("late").Emit("missed");
        await WaitUntilAsync(async () => await _admin.GetDatabase().StreamLengthAsync("socket.io") == 3);

        var resumed = await RawClient.ConnectAsync(_a);
        (await ConnectAsync(resumed, auth: $$"""{"pid":"{{pid}}","offset":"{{second}}"}""")).Sid.Should().Be(sid);
        OffsetOf(await resumed.ReceiveTextAsync(), "missed");
        _a.Socket(sid).Rooms.Should().Contain("late");
        await resumed.DisposeAsync();
    }

    [RedisFact]
    public async Task A_deliberate_disconnect_deletes_the_stored_session()
    {
        var client = await RawClient.ConnectAsync(_a);
        var (_, pid) = await ConnectAsync(client, auth: null);
        await WaitUntilAsync(async () => await StoredSessionAsync(pid) is not null);

        await client.SendAsync("41");
        await WaitUntilAsync(async () => await StoredSessionAsync(pid) is null);
        await client.DisposeAsync();
    }

    private async Task<PersistedSessionView?> StoredSessionAsync(string pid)
    {
        var value = await _admin.GetDatabase().StringGetAsync("sio:session:" + pid);
        if (value.IsNullOrEmpty) return null;
        var session = SessionCodec.TryDecode(value!, DateTimeOffset.UtcNow)!;
        return new PersistedSessionView(session.Rooms, session.Data);
    }

    private sealed record PersistedSessionView(IReadOnlyCollection<string> Rooms, object? Data);

    /// <summary>Node <paramref name="user"/> loses Redis for good: its user is switched off and its connections killed.</summary>
    private async Task CrashAsync(string user)
    {
        var database = _admin.GetDatabase();
        await database.ExecuteAsync("ACL", "SETUSER", user, "off");
        await database.ExecuteAsync("CLIENT", "KILL", "USER", user);
    }

    private static async Task<(string Sid, string Pid)> ConnectAsync(RawClient client, string? auth)
    {
        await client.SendAsync("40" + auth);
        var reply = await client.ReceiveTextAsync();
        reply.Should().StartWith("40{");
        using var json = JsonDocument.Parse(reply[2..]);
        return (json.RootElement.GetProperty("sid").GetString()!, json.RootElement.GetProperty("pid").GetString()!);
    }

    /// <summary>The offset (a stream entry id) an event packet carries as its last argument.</summary>
    private static string OffsetOf(string packet, string eventName)
    {
        packet.Should().StartWith("42[\"" + eventName + "\",");
        using var json = JsonDocument.Parse(packet[2..]);
        var offset = json.RootElement[json.RootElement.GetArrayLength() - 1].GetString()!;
        StreamOffset.IsValid(offset).Should().BeTrue();
        return offset;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold in time");
            await Task.Delay(20);
        }
    }
}
