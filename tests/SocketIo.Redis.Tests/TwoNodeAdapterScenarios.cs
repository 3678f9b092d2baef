using System.Text.Json;
using SocketIo.Tests.Integration;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>
/// The two-node scenarios every Redis adapter must pass, written once and run against each adapter by a subclass:
/// two in-process nodes on a private redis-server, each with a raw WebSocket client.
/// </summary>
public abstract class TwoNodeAdapterScenarios : IAsyncLifetime
{
    private protected static readonly TimeSpan Timeout = TestServer.Timeout;
    private RedisProcess? _redis;
    private protected TestServer _a = null!;
    private protected TestServer _b = null!;
    private protected RawClient _clientA = null!;
    private protected RawClient _clientB = null!;
    private protected string _idA = null!;
    private protected string _idB = null!;

    /// <summary>The private redis-server; set whenever a test runs.</summary>
    private protected RedisProcess Redis => _redis!;

    /// <summary>Starts one node on <paramref name="redis"/> with the adapter under test, without waiting for Redis.</summary>
    private protected abstract Task<TestServer> StartServerAsync(string redis);

    /// <summary>Completes once the main namespace's adapter of <paramref name="server"/> listens to Redis.</summary>
    private protected abstract Task SubscribedAsync(TestServer server);

    /// <summary>Starts one node on <paramref name="redis"/> with the adapter under test, subscribed.</summary>
    private protected async Task<TestServer> StartNodeAsync(string redis)
    {
        var server = await StartServerAsync(redis);
        await SubscribedAsync(server).WaitAsync(Timeout);
        return server;
    }

    /// <summary>
    /// Waits until a broadcast to <paramref name="room"/> alone, sent from another node, can reach the node that
    /// has it (nothing to wait for when every node gets every broadcast).
    /// </summary>
    private protected virtual Task WaitForRoomAsync(string room) => Task.CompletedTask;

    /// <summary>The channel on which the nodes of the main namespace receive requests.</summary>
    private protected abstract RedisChannel RequestChannel { get; }

    public async Task InitializeAsync()
    {
        if (RedisProcess.Program is null && Environment.GetEnvironmentVariable("CI") != "true") return;
        _redis = await RedisProcess.StartAsync();
        _a = await StartNodeAsync(_redis.Configuration);
        // The URL form, as Node users write it, reaches the same Redis.
        _b = await StartNodeAsync(_redis.Url);
        _clientA = await RawClient.ConnectAsync(_a);
        _idA = await _clientA.JoinAsync();
        _clientB = await RawClient.ConnectAsync(_b);
        _idB = await _clientB.JoinAsync();
    }

    public async Task DisposeAsync()
    {
        // Also after an InitializeAsync that failed half way: whatever was started is stopped, Redis last and always.
        if (_redis is null) return;
        try
        {
            if (_clientA is not null) await _clientA.DisposeAsync();
            if (_clientB is not null) await _clientB.DisposeAsync();
            if (_a is not null) await _a.DisposeAsync();
            if (_b is not null) await _b.DisposeAsync();
        }
        finally
        {
            await _redis.DisposeAsync();
        }
    }

    [RedisFact]
    public async Task A_broadcast_reaches_the_clients_of_every_node_and_local_stays_local()
    {
        _a.Io.Emit("hello", 1, "two");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"hello\",1,\"two\"]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"hello\",1,\"two\"]");

        _a.Io.Local.Emit("local");
        _b.Io.Emit("marker");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"local\"]");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"marker\"]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"marker\"]", "the local broadcast stayed on node A");
    }

    [RedisFact]
    public async Task Rooms_exclusions_and_socket_ids_are_honoured_on_the_other_node()
    {
        _b.Socket(_idB).Join("team");
        await WaitForRoomAsync("team");
        _a.Io.To("team").Emit("to-team");
        _a.Io.Except("team").Emit("not-team");
        _a.Io.To(_idB).Emit("to-b");
        _a.Io.To(["team", "other"]).Emit("two-rooms");
        _a.Io.Emit("marker");

        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"to-team\"]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"to-b\"]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"two-rooms\"]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"marker\"]");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"not-team\"]");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"marker\"]");
    }

    [RedisFact]
    public async Task Binary_travels_to_the_other_node()
    {
        _a.Io.Emit("bin", new byte[] { 1, 2, 3 });

        (await _clientB.ReceiveTextAsync()).Should().Be("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        (await _clientB.ReceiveBinaryAsync()).Should().Equal(1, 2, 3);
    }

    [RedisFact]
    public async Task A_broadcast_with_acks_collects_the_answers_of_every_node()
    {
        var pending = _a.Io.Timeout(Timeout).EmitWithAckAsync<int>("question");

        await _clientA.AnswerAsync("question", "1");
        await _clientB.AnswerAsync("question", "2");

        (await pending.WaitAsync(Timeout)).Should().BeEquivalentTo([1, 2]);
    }

    [RedisFact]
    public async Task A_broadcast_with_acks_times_out_with_the_answers_received()
    {
        var pending = _a.Io.Timeout(TimeSpan.FromMilliseconds(500)).EmitWithAckAsync<int>("question");
        await _clientB.AnswerAsync("question", "2");
        (await _clientA.ReceiveTextAsync()).Should().MatchRegex("^42[0-9]+\\[\"question\"\\]$", "client A gets the question and never answers");

        var timeout = await pending.Invoking(p => p.WaitAsync(Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
        timeout.Which.Responses.Select(r => r.Get<int>()).Should().Equal(2);
    }

    [RedisFact]
    public async Task FetchSockets_returns_the_remote_sockets_with_handshake_rooms_and_data()
    {
        _b.Socket(_idB).Join("team");
        _b.Socket(_idB).Data = new { name = "bob" };

        var sockets = await _a.Io.FetchSocketsAsync().AsTask().WaitAsync(Timeout);

        sockets.Select(s => s.Id).Should().BeEquivalentTo([_idA, _idB]);
        var remote = sockets.Single(s => s.Id == _idB);
        remote.IsLocal.Should().BeFalse();
        remote.Rooms.Should().BeEquivalentTo([_idB, "team"]);
        ((JsonElement)remote.Data!).GetProperty("name").GetString().Should().Be("bob");
        remote.Handshake.Url.Should().StartWith("/socket.io/");
        remote.Handshake.Issued.Should().Be(_b.Socket(_idB).Handshake.Issued);

        remote.Emit("direct", 5);
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"direct\",5]");
        await remote.JoinAsync("vip").WaitAsync(Timeout);
        await WaitUntilAsync(() => _b.Socket(_idB).Rooms.Contains("vip"));
        await remote.DisconnectAsync().WaitAsync(Timeout);
        (await _clientB.ReceiveTextAsync()).Should().Be("41");
    }

    [RedisFact]
    public async Task SocketsJoin_SocketsLeave_and_DisconnectSockets_reach_the_other_node()
    {
        await _a.Io.In(_idB).SocketsJoinAsync("vip").WaitAsync(Timeout);
        await WaitUntilAsync(() => _b.Socket(_idB).Rooms.Contains("vip"));
        _a.Io.MainNamespace.Adapter.SocketRooms(_idA).Should().NotContain("vip");

        await _a.Io.In("vip").SocketsLeaveAsync("vip").WaitAsync(Timeout);
        await WaitUntilAsync(() => !_b.Socket(_idB).Rooms.Contains("vip"));

        await _a.Io.DisconnectSocketsAsync(close: true).WaitAsync(Timeout);
        await _clientA.WaitClosedAsync();
        await _clientB.WaitClosedAsync();
    }

    [RedisFact]
    public async Task Server_side_events_reach_the_other_nodes_with_and_without_acks()
    {
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _b.Io.OnServerSideEvent("note", args => received.TrySetResult(args.Get<int>()));
        _b.Io.OnServerSideEvent("ask", args => Task.FromResult<object?>(args.Get<int>() * 2));

        (await _a.Io.ServerCountAsync().WaitAsync(Timeout)).Should().Be(2);
        _a.Io.ServerSideEmit("note", 7);
        (await received.Task.WaitAsync(Timeout)).Should().Be(7);

        var answers = await _a.Io.ServerSideEmitWithAckAsync("ask", [21]).WaitAsync(Timeout);
        answers.Select(a => a.Get<int>()).Should().Equal(42);
    }

    [RedisFact]
    public async Task A_node_that_never_answers_ends_requests_at_the_timeout_with_the_answers_received()
    {
        // A third "node" on the request channel that never answers, as a node that hangs or was killed.
        await using var silent = await ConnectionMultiplexer.ConnectAsync(Redis.Configuration);
        await silent.GetSubscriber().SubscribeAsync(RequestChannel, (_, _) => { });
        _b.Io.OnServerSideEvent("ask", _ => Task.FromResult<object?>("from-b"));

        var timeout = await _a.Io.Invoking(io => io.ServerSideEmitWithAckAsync("ask", [], TimeSpan.FromMilliseconds(500)).WaitAsync(Timeout))
            .Should().ThrowAsync<SocketIoAckTimeoutException>();
        timeout.Which.Responses.Select(r => r.Get<string>()).Should().Equal("from-b");

        var ack = _a.Io.Timeout(TimeSpan.FromMilliseconds(500)).EmitWithAckAsync<int>("question");
        await _clientA.AnswerAsync("question", "1");
        await _clientB.AnswerAsync("question", "2");
        var partial = await ack.Invoking(p => p.WaitAsync(Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
        partial.Which.Responses.Select(r => r.Get<int>()).Should().BeEquivalentTo([1, 2]);

        await _a.Io.Invoking(io => io.FetchSocketsAsync().AsTask().WaitAsync(Timeout)).Should().ThrowAsync<TimeoutException>();
    }

    [RedisFact]
    public async Task A_node_started_while_Redis_is_down_joins_the_cluster_once_Redis_is_up()
    {
        // A Redis of its own, stopped: its port is known, and nothing listens there yet.
        await using var laterRedis = await RedisProcess.StartAsync();
        await laterRedis.StopAsync();
        await using var late = await StartServerAsync(laterRedis.Configuration);
        SubscribedAsync(late).IsCompleted.Should().BeFalse("Redis is not there yet: the adapter keeps trying (it used to fail for good)");

        await laterRedis.StartAgainAsync();
        // StackExchange.Redis reconnects on its own cadence (a connect attempt may take its 5 s connect timeout, and
        // the streams adapter's reader is a second multiplexer): seconds, more under load; bounded well above that.
        await SubscribedAsync(late).WaitAsync(TimeSpan.FromSeconds(30));
        await using var other = await StartNodeAsync(laterRedis.Configuration);
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        late.Io.OnServerSideEvent("hello", args => received.TrySetResult(args.Get<int>()));
        other.Io.ServerSideEmit("hello", 5);
        (await received.Task.WaitAsync(Timeout)).Should().Be(5);
    }

    [RedisFact]
    public async Task During_a_Redis_outage_each_node_serves_its_clients_and_the_cluster_resumes_afterwards()
    {
        await Redis.StopAsync();

        _a.Io.Emit("during");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"during\"]");
        await _a.Io.Invoking(io => io.ServerCountAsync()).Should().ThrowAsync<RedisException>();

        await Redis.StartAgainAsync();
        // The multiplexers reconnect and subscribe again on their own; until then a broadcast may be lost. One read
        // stays pending across the attempts, so that no frame goes to an abandoned read.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var pending = _clientB.ReceiveTextAsync();
        while (true)
        {
            _a.Io.Emit("after");
            (await _clientA.ReceiveTextAsync()).Should().Be("42[\"after\"]");
            if (await Task.WhenAny(pending, Task.Delay(200)) == pending)
            {
                if (pending.IsCompletedSuccessfully)
                {
                    pending.Result.Should().Be("42[\"after\"]");
                    break;
                }
                // The read's own 5 s limit passed while Redis was still coming back: read again.
                pending = _clientB.ReceiveTextAsync();
            }
            DateTime.UtcNow.Should().BeBefore(deadline, "node B should get broadcasts again once Redis is back");
        }
    }

    private protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold in time");
            await Task.Delay(20);
        }
    }
}
