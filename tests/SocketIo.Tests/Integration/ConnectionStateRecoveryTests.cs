using System.Text.Json;
using SocketIo.Adapters;

namespace SocketIo.Tests.Integration;

public sealed class ConnectionStateRecoveryTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    [Fact]
    public async Task The_connect_reply_carries_a_private_session_id_distinct_from_the_socket_id()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40");

        var reply = await client.ReceiveTextAsync();
        reply.Should().MatchRegex("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"pid\":\"[A-Za-z0-9_-]{20}\"\\}$");
        using var json = JsonDocument.Parse(reply[2..]);
        json.RootElement.GetProperty("pid").GetString().Should().NotBe(json.RootElement.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task Without_recovery_there_is_no_private_session_id_and_no_offset()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await client.SendAsync("40");
        var reply = await client.ReceiveTextAsync();
        reply.Should().MatchRegex("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$");
        using var json = JsonDocument.Parse(reply[2..]);
        var sid = json.RootElement.GetProperty("sid").GetString()!;

        server.Socket(sid).Emit("one", 1);
        server.Io.Emit("two", 2);

        (await client.ReceiveTextAsync()).Should().Be("42[\"one\",1]");
        (await client.ReceiveTextAsync()).Should().Be("42[\"two\",2]");
        server.Io.MainNamespace.Adapter.RecoveryStatistics.Should().BeNull();
    }

    [Fact]
    public async Task Events_to_a_socket_and_broadcasts_carry_an_offset_as_their_last_argument()
    {
        await using var server = await StartAsync();
        await using var connection = await ConnectAsync(server);
        var socket = server.Socket(connection.Sid);
        socket.Join("room");

        socket.Emit("direct", 1);
        server.Io.Emit("everyone", "a");
        server.Io.To("room").Emit("room", new { x = 1 });
        socket.Emit("binary", new byte[] { 1, 2 });

        var direct = await connection.ReceiveEventAsync();
        var everyone = await connection.ReceiveEventAsync();
        var room = await connection.ReceiveEventAsync();
        direct.Frame.Should().Be($"42[\"direct\",1,\"{direct.Offset}\"]");
        everyone.Frame.Should().Be($"42[\"everyone\",\"a\",\"{everyone.Offset}\"]");
        room.Frame.Should().Be($"42[\"room\",{{\"x\":1}},\"{room.Offset}\"]");
        (await connection.Client.ReceiveTextAsync()).Should().MatchRegex("^451-\\[\"binary\",\\{\"_placeholder\":true,\"num\":0\\},\"[0-9a-f]{8}-4\"\\]$");
        (await connection.Client.ReceiveBinaryAsync()).Should().Equal(1, 2);
        new[] { direct.Offset, everyone.Offset, room.Offset }.Should().OnlyHaveUniqueItems();
        direct.Offset.Should().MatchRegex("^[0-9a-f]{8}-1$");
    }

    [Fact]
    public async Task Events_expecting_an_acknowledgement_and_volatile_events_carry_no_offset()
    {
        await using var server = await StartAsync();
        await using var connection = await ConnectAsync(server);
        var socket = server.Socket(connection.Sid);

        var ask = socket.EmitWithAckAsync("asks", [1]);
        (await connection.Client.ReceiveTextAsync()).Should().Be("420[\"asks\",1]");
        var askEveryone = server.Io.Timeout(Timeout).EmitWithAckAsync("everyone-asks", [2]);
        (await connection.Client.ReceiveTextAsync()).Should().Be("421[\"everyone-asks\",2]");
        await connection.Client.SendAsync("430[]");
        await connection.Client.SendAsync("431[]");
        await ask.WaitAsync(Timeout);
        await askEveryone.WaitAsync(Timeout);

        // A volatile packet is dropped while the transport is busy: try until one goes through, each followed by a marker.
        var volatileFrames = new List<string>();
        for (var attempt = 0; attempt < 20 && volatileFrames.Count == 0; attempt++)
        {
            socket.Volatile.Emit("fleeting", attempt);
            server.Io.Volatile.Emit("fleeting-broadcast", attempt);
            socket.Emit("marker");
            string frame;
            while (!(frame = await connection.Client.ReceiveTextAsync()).StartsWith("42[\"marker\"", StringComparison.Ordinal)) volatileFrames.Add(frame);
        }

        volatileFrames.Should().NotBeEmpty();
        volatileFrames.Should().AllSatisfy(frame => frame.Should().MatchRegex("^42\\[\"fleeting(-broadcast)?\",[0-9]+\\]$"));
        server.Io.MainNamespace.Adapter.RecoveryStatistics!.Packets.Should().BeGreaterThan(0, "the markers were kept");
    }

    [Fact]
    public async Task A_broadcast_is_encoded_once_so_every_recipient_gets_the_same_offset()
    {
        await using var server = await StartAsync();
        await using var first = await ConnectAsync(server);
        await using var second = await ConnectAsync(server);

        server.Io.Emit("news", "same for all");

        var a = await first.ReceiveEventAsync();
        var b = await second.ReceiveEventAsync();
        a.Frame.Should().Be(b.Frame);
        server.Io.MainNamespace.Adapter.RecoveryStatistics!.Packets.Should().Be(1);
    }

    [Fact]
    public async Task A_client_back_in_time_gets_its_id_rooms_and_data_and_the_missed_events_before_new_ones()
    {
        await using var server = await StartAsync(io => io.OnConnection(s => s.Emit("welcome", s.Recovered)));
        await using var first = await ConnectAsync(server);
        var welcome = await first.ReceiveEventAsync();
        welcome.Name.Should().Be("welcome");
        var socket = server.Socket(first.Sid);
        socket.Recovered.Should().BeFalse();
        socket.Join("room");
        socket.Data = "state";

        first.Client.Abort();
        (await server.DisconnectReasonAsync(first.Sid)).Should().Be(DisconnectReason.TransportError);
        server.Io.To("room").Emit("missed", 1);
        server.Io.Emit("missed", 2);
        server.Io.To("elsewhere").Emit("not-for-it");
        server.Io.Except("room").Emit("not-for-it");
        server.Io.To("room").Emit("missed", 3);

        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, welcome.Offset));

        second.Sid.Should().Be(first.Sid);
        second.Pid.Should().Be(first.Pid);
        (await second.ReceiveEventAsync()).Frame.Should().StartWith("42[\"missed\",1,");
        (await second.ReceiveEventAsync()).Frame.Should().StartWith("42[\"missed\",2,");
        (await second.ReceiveEventAsync()).Frame.Should().StartWith("42[\"missed\",3,");
        (await second.ReceiveEventAsync()).Frame.Should().StartWith("42[\"welcome\",true,");
        var restored = server.Socket(first.Sid);
        restored.Should().NotBeSameAs(socket);
        restored.Recovered.Should().BeTrue();
        restored.Rooms.Should().BeEquivalentTo(new[] { first.Sid, "room" });
        restored.Data.Should().Be("state");

        server.Io.To("room").Emit("new", 4);
        (await second.ReceiveEventAsync()).Frame.Should().StartWith("42[\"new\",4,");
        var stats = server.Io.MainNamespace.Adapter.RecoveryStatistics!;
        stats.Should().BeEquivalentTo(new { Sessions = 0, SessionsPersisted = 1L, SessionsRestored = 1L, RestoresRefused = 0L });
    }

    [Fact]
    public async Task An_event_emitted_to_a_socket_after_its_connection_dropped_reaches_the_resumed_socket()
    {
        await using var server = await StartAsync();
        await using var first = await ConnectAsync(server);
        var socket = server.Socket(first.Sid);
        socket.Emit("hello");
        var hello = await first.ReceiveEventAsync();
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);

        socket.Emit("late", "from a handler that finished after the drop");

        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));
        (await second.ReceiveEventAsync()).Frame.Should().StartWith("42[\"late\",\"from a handler that finished after the drop\",");
    }

    [Fact]
    public async Task Events_broadcast_without_pause_across_a_reconnection_arrive_exactly_once_and_in_order()
    {
        await using var server = await StartAsync(io => io.OnConnection(s => s.Join("feed")));
        await using var first = await ConnectAsync(server);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                server.Io.To("feed").Emit("n", n);
                await Task.Delay(1);
            }
        });

        var received = new List<int>();
        var last = await ReceiveNumbersAsync(first, received, 20);
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);
        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, last));
        second.Sid.Should().Be(first.Sid);
        await ReceiveNumbersAsync(second, received, 40);
        await stop.CancelAsync();
        await producer.WaitAsync(Timeout);

        received.Should().Equal(Enumerable.Range(received[0], received.Count), "nothing is missed or received twice");
    }

    [Fact]
    public async Task Events_sent_while_a_resumed_socket_waits_for_its_middlewares_come_after_the_missed_ones_and_before_new_ones()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var middlewareSawRecovered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(
            io => io.Use(async (socket, ct) =>
            {
                if (!socket.Recovered) return;
                middlewareSawRecovered.TrySetResult(true);
                await gate.Task.WaitAsync(ct);
            }),
            recovery => recovery.SkipMiddlewares = false);
        await using var first = await ConnectAsync(server);
        server.Socket(first.Sid).Join("room");
        server.Io.To("room").Emit("e", 1);
        var seen = await first.ReceiveEventAsync();
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);
        server.Io.To("room").Emit("e", 2);

        await using var second = await RawClient.ConnectAsync(server);
        await second.SendAsync("40" + ResumeAuth(first.Pid, seen.Offset));
        (await middlewareSawRecovered.Task.WaitAsync(Timeout)).Should().BeTrue();
        server.Io.To("room").Emit("e", 3);
        server.Io.Emit("e", 4);
        server.Io.To("elsewhere").Emit("not-for-it");
        gate.SetResult();

        (await second.ReceiveTextAsync()).Should().StartWith($"40{{\"sid\":\"{first.Sid}\"");
        (await second.ReceiveTextAsync()).Should().StartWith("42[\"e\",2,");
        (await second.ReceiveTextAsync()).Should().StartWith("42[\"e\",3,");
        (await second.ReceiveTextAsync()).Should().StartWith("42[\"e\",4,");
        server.Io.To("room").Emit("e", 5);
        (await second.ReceiveTextAsync()).Should().StartWith("42[\"e\",5,");
    }

    [Fact]
    public async Task A_resumed_socket_skips_the_namespace_middlewares_by_default()
    {
        var runs = 0;
        await using var server = await StartAsync(io => io.Use((_, _) =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.CompletedTask;
        }));
        await using var first = await ConnectAsync(server);
        server.Socket(first.Sid).Emit("hello");
        var hello = await first.ReceiveEventAsync();
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);

        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));

        server.Socket(second.Sid).Recovered.Should().BeTrue();
        Volatile.Read(ref runs).Should().Be(1);
    }

    // The server closing the connection is reported as either forced close: the engine may finish the close first.
    public static TheoryData<string, DisconnectReason[]> DroppedConnections => new()
    {
        { "abort", [DisconnectReason.TransportError] },
        { "close", [DisconnectReason.TransportClose] },
        { "ping timeout", [DisconnectReason.PingTimeout] },
        { "undecodable packet", [DisconnectReason.ForcedClose, DisconnectReason.ForcedServerClose] },
        { "second connect", [DisconnectReason.ForcedClose, DisconnectReason.ForcedServerClose] },
    };

    [Theory]
    [MemberData(nameof(DroppedConnections))]
    public async Task A_session_is_kept_when_the_connection_drops(string how, DisconnectReason[] expected)
    {
        await using var server = await StartAsync(shortPingTimeout: how == "ping timeout");
        var first = await ConnectAsync(server);
        server.Socket(first.Sid).Emit("hello");
        var hello = await first.ReceiveEventAsync();

        switch (how)
        {
            case "abort": first.Client.Abort(); break;
            case "close": await first.Client.CloseAsync(); break;
            case "ping timeout": first.Client.AnswerPings = false; break;
            case "undecodable packet": await first.Client.SendAsync("4Z"); break;
            case "second connect": await first.Client.SendAsync("40"); break;
        }

        (await server.DisconnectReasonAsync(first.Sid)).Should().BeOneOf(expected);
        server.Io.MainNamespace.Adapter.RecoveryStatistics!.Sessions.Should().Be(1);
        await first.DisposeAsync();
        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));
        second.Sid.Should().Be(first.Sid);
        server.Socket(second.Sid).Recovered.Should().BeTrue();
    }

    [Fact]
    public async Task A_session_is_kept_when_the_server_shuts_down()
    {
        await using var server = await StartAsync();
        await using var connection = await ConnectAsync(server);

        await server.Io.CloseAsync();

        (await server.DisconnectReasonAsync(connection.Sid)).Should().Be(DisconnectReason.ServerShuttingDown);
        server.Io.MainNamespace.Adapter.RecoveryStatistics!.Sessions.Should().Be(1);
    }

    public static TheoryData<string> ExplicitDisconnects => new() { "client", "server", "server with close" };

    [Theory]
    [MemberData(nameof(ExplicitDisconnects))]
    public async Task A_session_ended_on_purpose_is_not_kept(string by)
    {
        await using var server = await StartAsync();
        await using var first = await ConnectAsync(server);
        server.Socket(first.Sid).Emit("hello");
        var hello = await first.ReceiveEventAsync();

        switch (by)
        {
            case "client": await first.Client.SendAsync("41"); break;
            case "server": server.Socket(first.Sid).Disconnect(); break;
            case "server with close": server.Socket(first.Sid).Disconnect(close: true); break;
        }

        (await server.DisconnectReasonAsync(first.Sid)).Should().BeOneOf(DisconnectReason.ClientNamespaceDisconnect, DisconnectReason.ServerNamespaceDisconnect);
        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));
        second.Sid.Should().NotBe(first.Sid);
        second.Pid.Should().NotBe(first.Pid);
        server.Socket(second.Sid).Recovered.Should().BeFalse();
        server.Io.MainNamespace.Adapter.RecoveryStatistics.Should().BeEquivalentTo(new { Sessions = 0, SessionsPersisted = 0L, RestoresRefused = 1L });
    }

    [Fact]
    public async Task A_client_back_too_late_gets_a_new_session()
    {
        var clock = new AdjustableTimeProvider();
        await using var server = await StartAsync(time: clock);
        await using var first = await ConnectAsync(server);
        server.Socket(first.Sid).Emit("hello");
        var hello = await first.ReceiveEventAsync();
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);

        clock.Advance(ConnectionStateRecoveryOptions.DefaultMaxDisconnectionDuration + TimeSpan.FromSeconds(1));
        await using var second = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));

        second.Sid.Should().NotBe(first.Sid);
        server.Socket(second.Sid).Recovered.Should().BeFalse();
        server.Io.MainNamespace.Adapter.RecoveryStatistics.Should().BeEquivalentTo(new { Sessions = 0, SessionsExpired = 1L, RestoresRefused = 1L });
    }

    [Fact]
    public async Task Expired_sessions_and_events_are_dropped_without_any_client_coming_back()
    {
        var clock = new AdjustableTimeProvider();
        await using var server = await StartAsync(time: clock, recovery: r => r.MaxDisconnectionDuration = TimeSpan.FromSeconds(10));
        var adapter = server.Io.MainNamespace.Adapter;
        for (var i = 0; i < 2; i++)
        {
            await using var connection = await ConnectAsync(server);
            server.Socket(connection.Sid).Emit("hello");
            await connection.ReceiveEventAsync();
            connection.Client.Abort();
            await server.DisconnectReasonAsync(connection.Sid);
        }
        adapter.RecoveryStatistics.Should().BeEquivalentTo(new { Sessions = 2, Packets = 2 });

        clock.Advance(TimeSpan.FromSeconds(11));

        adapter.RecoveryStatistics.Should().BeEquivalentTo(new { Sessions = 0, Packets = 0, SessionsExpired = 2L, PacketsExpired = 2L });
    }

    public static TheoryData<string> ForgedResumes => new()
    {
        "unknown pid", "pid of another socket", "garbage offset", "offset of another store", "offset never sent", "offset as a number",
        "no offset", "pid as a number",
    };

    [Theory]
    [MemberData(nameof(ForgedResumes))]
    public async Task A_forged_or_unknown_pid_or_offset_gets_a_new_session_and_leaves_the_real_one_alone(string forgery)
    {
        await using var server = await StartAsync();
        await using var first = await ConnectAsync(server);
        server.Socket(first.Sid).Emit("hello");
        var hello = await first.ReceiveEventAsync();
        await using var bystander = await ConnectAsync(server);
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);
        var epoch = hello.Offset[..hello.Offset.IndexOf('-')];

        var auth = forgery switch
        {
            "unknown pid" => ResumeAuth("AAAAAAAAAAAAAAAAAAAA", hello.Offset),
            "pid of another socket" => ResumeAuth(bystander.Pid, hello.Offset),
            "garbage offset" => ResumeAuth(first.Pid, "garbage"),
            "offset of another store" => ResumeAuth(first.Pid, "00000000-1"),
            "offset never sent" => ResumeAuth(first.Pid, epoch + "-999999"),
            "offset as a number" => $"{{\"pid\":\"{first.Pid}\",\"offset\":1}}",
            "no offset" => $"{{\"pid\":\"{first.Pid}\"}}",
            "pid as a number" => $"{{\"pid\":1,\"offset\":\"{hello.Offset}\"}}",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        await using (var forged = await ConnectAsync(server, auth))
        {
            forged.Sid.Should().NotBe(first.Sid).And.NotBe(bystander.Sid);
            forged.Pid.Should().NotBe(first.Pid);
            server.Socket(forged.Sid).Recovered.Should().BeFalse();
            bystander.Client.Closed.IsCompleted.Should().BeFalse();
        }

        await using var genuine = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));
        genuine.Sid.Should().Be(first.Sid);
    }

    [Fact]
    public async Task A_session_is_resumed_once_only()
    {
        await using var server = await StartAsync();
        await using var first = await ConnectAsync(server);
        server.Socket(first.Sid).Emit("hello");
        var hello = await first.ReceiveEventAsync();
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);

        await using var resumed = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));
        await using var copycat = await ConnectAsync(server, ResumeAuth(first.Pid, hello.Offset));

        resumed.Sid.Should().Be(first.Sid);
        copycat.Sid.Should().NotBe(first.Sid);
        server.Io.MainNamespace.Sockets.Should().HaveCount(2);
    }

    [Fact]
    public async Task The_store_keeps_at_most_MaxBufferedPackets_events_and_reports_what_it_evicted()
    {
        await using var server = await StartAsync(recovery: r => r.MaxBufferedPackets = 3);
        await using var first = await ConnectAsync(server);
        var socket = server.Socket(first.Sid);
        var offsets = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            socket.Emit("e", i);
            offsets.Add((await first.ReceiveEventAsync()).Offset);
        }
        server.Io.MainNamespace.Adapter.RecoveryStatistics.Should().BeEquivalentTo(new { Packets = 3, PacketsEvicted = 2L });
        first.Client.Abort();
        await server.DisconnectReasonAsync(first.Sid);

        // Event 2 was evicted, so a client that last saw event 1 cannot get everything it missed.
        await using (var tooOld = await ConnectAsync(server, ResumeAuth(first.Pid, offsets[0])))
        {
            tooOld.Sid.Should().NotBe(first.Sid);
        }

        // A client that saw event 2 misses only events still kept.
        await using var resumed = await ConnectAsync(server, ResumeAuth(first.Pid, offsets[1]));
        resumed.Sid.Should().Be(first.Sid);
        (await resumed.ReceiveEventAsync()).Offset.Should().Be(offsets[2]);
        (await resumed.ReceiveEventAsync()).Offset.Should().Be(offsets[3]);
        (await resumed.ReceiveEventAsync()).Offset.Should().Be(offsets[4]);
        server.Io.MainNamespace.Adapter.RecoveryStatistics.Should().BeEquivalentTo(new { RestoresRefused = 1L, SessionsRestored = 1L });
    }

    [Fact]
    public async Task A_socket_in_another_namespace_is_resumed_in_that_namespace()
    {
        await using var server = await StartAsync(io => io.Of("/chat"));
        await using var client = await RawClient.ConnectAsync(server);
        await client.SendAsync("40/chat,");
        using var json = JsonDocument.Parse((await client.ReceiveTextAsync())["40/chat,".Length..]);
        var reply = json.RootElement;
        var sid = reply.GetProperty("sid").GetString()!;
        var pid = reply.GetProperty("pid").GetString()!;
        server.Io.Of("/chat").TryGetSocket(sid, out var socket).Should().BeTrue();
        socket.Emit("hello");
        var hello = ParseEvent((await client.ReceiveTextAsync())["42/chat,".Length..], "");
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.Disconnected += (_, _) => disconnected.TrySetResult();
        client.Abort();
        await disconnected.Task.WaitAsync(Timeout);

        await using var again = await RawClient.ConnectAsync(server);
        await again.SendAsync("40/chat," + ResumeAuth(pid, hello.Offset));

        (await again.ReceiveTextAsync()).Should().Be($"40/chat,{{\"sid\":\"{sid}\",\"pid\":\"{pid}\"}}");
        server.Io.Of("/chat").TryGetSocket(sid, out var resumed).Should().BeTrue();
        resumed.Recovered.Should().BeTrue();
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------

    /// <summary>
    /// A test server with recovery on. These tests drop connections on purpose, so an unplanned ping timeout on a busy
    /// machine must not drop one early: the pong deadline is long unless a test asks for the usual short one.
    /// </summary>
    private static Task<TestServer> StartAsync(
        Action<SocketIoServer>? configure = null, Action<ConnectionStateRecoveryOptions>? recovery = null, TimeProvider? time = null, bool shortPingTimeout = false) =>
        TestServer.StartAsync(configure, options =>
        {
            if (!shortPingTimeout) options.PingTimeout = Timeout;
            var settings = new ConnectionStateRecoveryOptions();
            recovery?.Invoke(settings);
            options.ConnectionStateRecovery = settings;
        }, time);

    private static async Task<Connection> ConnectAsync(TestServer server, string? auth = null)
    {
        var client = await RawClient.ConnectAsync(server);
        await client.SendAsync("40" + auth);
        var reply = await client.ReceiveTextAsync();
        reply.Should().StartWith("40{");
        using var json = JsonDocument.Parse(reply[2..]);
        return new Connection(client, json.RootElement.GetProperty("sid").GetString()!, json.RootElement.GetProperty("pid").GetString()!);
    }

    private static string ResumeAuth(string pid, string offset) => JsonSerializer.Serialize(new { pid, offset });

    /// <summary>Reads <c>n</c> events until <paramref name="count"/> more numbers are in <paramref name="received"/>; returns the last offset.</summary>
    private static async Task<string> ReceiveNumbersAsync(Connection connection, List<int> received, int count)
    {
        var offset = "";
        for (var i = 0; i < count; i++)
        {
            var e = await connection.ReceiveEventAsync();
            e.Name.Should().Be("n");
            received.Add(e.Args[0].GetInt32());
            offset = e.Offset;
        }
        return offset;
    }

    private static ReceivedEvent ParseEvent(string json, string frame)
    {
        using var document = JsonDocument.Parse(json);
        var items = document.RootElement.EnumerateArray().Select(item => item.Clone()).ToArray();
        items.Length.Should().BeGreaterThanOrEqualTo(2, "an event carries its name and its offset: {0}", frame);
        items[^1].ValueKind.Should().Be(JsonValueKind.String, "the offset is the last argument: {0}", frame);
        return new ReceivedEvent(frame, items[0].GetString()!, items[1..^1], items[^1].GetString()!);
    }

    private sealed record ReceivedEvent(string Frame, string Name, JsonElement[] Args, string Offset);

    private sealed record Connection(RawClient Client, string Sid, string Pid) : IAsyncDisposable
    {
        public async Task<ReceivedEvent> ReceiveEventAsync()
        {
            var frame = await Client.ReceiveTextAsync();
            frame.Should().StartWith("42[");
            return ParseEvent(frame[2..], frame);
        }

        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }

    /// <summary>The system clock, moved forward on demand (timers still run in real time).</summary>
    private sealed class AdjustableTimeProvider : TimeProvider
    {
        private long _shiftTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));
    }
}
