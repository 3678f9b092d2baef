using System.Net;
using System.Net.WebSockets;
using EngineIo.Tests.Infrastructure;

namespace EngineIo.Tests;

public sealed class EngineSessionTests
{
    // ---- Messages over polling ----

    [Fact]
    public async Task A_text_message_posted_reaches_the_handler_and_its_echo_comes_back_on_the_next_poll()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();

        await client.PostAsync("4héllo € 😀");

        var message = await client.Log.NextMessageAsync();
        message.IsBinary.Should().BeFalse();
        message.Text.Should().Be("héllo € 😀");
        (await client.GetAsync()).Should().Be("4héllo € 😀");
    }

    [Fact]
    public async Task A_binary_message_posted_as_base64_reaches_the_handler_and_comes_back_as_base64()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();

        await client.PostAsync("bAQID");

        var message = await client.Log.NextMessageAsync();
        message.IsBinary.Should().BeTrue();
        message.Data.Should().Equal(1, 2, 3);
        (await client.GetAsync()).Should().Be("bAQID");
    }

    [Fact]
    public async Task Every_packet_of_one_posted_payload_is_delivered_in_order()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();

        await client.PostAsync("4a\x1e" + "4b\x1e" + "bAQ==\x1e" + "4");

        client.Log.Messages.Select(m => m.IsBinary ? "bin:" + m.Data[0] : m.Text).Should().Equal("a", "b", "bin:1", "");
        (await client.GetAsync()).Should().Be("4a\x1e" + "4b\x1e" + "bAQ==\x1e" + "4");
    }

    [Fact]
    public async Task Packets_queued_while_no_poll_waits_go_out_together_in_one_payload()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();

        client.Session.Send(EngineMessage.Text("a"));
        client.Session.Send(EngineMessage.Binary(new byte[] { 1, 2, 3 }));
        client.Session.Send(EngineMessage.Text("c"));

        (await client.GetAsync()).Should().Be("4a\x1e" + "bAQID\x1e" + "4c");
    }

    [Fact]
    public async Task A_waiting_poll_is_answered_as_soon_as_a_message_is_sent()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var get = client.StartGetAsync();
        await Limits.EventuallyAsync(() => client.Session.IsWritable, "the GET is waiting");

        client.Session.Send(EngineMessage.Text("now"));

        using var response = await get.WaitAsync(Limits.Await);
        (await PollingClient.ReadPayloadAsync(response)).Should().Be("4now");
    }

    [Fact]
    public async Task One_message_can_be_sent_to_many_sessions()
    {
        await using var host = await EngineTestHost.StartAsync();
        var a = await host.OpenPollingAsync();
        var b = await host.OpenPollingAsync();
        var (socket, wsSid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var shared = EngineMessage.Binary(new byte[] { 42 });

        foreach (var session in host.Server.Sessions) session.Send(shared);

        (await a.GetAsync()).Should().Be("bKg==");
        (await b.GetAsync()).Should().Be("bKg==");
        (await socket.ReceiveFrameAsync()).Data.Should().Equal(42);
        wsSid.Should().NotBeNullOrEmpty();
    }

    // ---- Messages over WebSocket ----

    [Fact]
    public async Task A_websocket_text_frame_reaches_the_handler_and_its_echo_comes_back()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendTextAsync("4héllo 😀");

        (await host.Handler.For(sid).NextMessageAsync()).Text.Should().Be("héllo 😀");
        (await socket.ReceiveTextAsync()).Should().Be("4héllo 😀");
    }

    [Fact]
    public async Task A_websocket_binary_frame_reaches_the_handler_raw_and_comes_back_as_a_binary_frame()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendBinaryAsync([0, 1, 255]);

        var message = await host.Handler.For(sid).NextMessageAsync();
        message.IsBinary.Should().BeTrue();
        message.Data.Should().Equal(0, 1, 255);
        var frame = await socket.ReceiveFrameAsync();
        frame.Type.Should().Be(WebSocketMessageType.Binary);
        frame.Data.Should().Equal(0, 1, 255);
    }

    [Fact]
    public async Task Server_messages_go_out_over_websocket_one_frame_each_in_order()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var session = host.Handler.For(sid).Session!;

        for (var i = 0; i < 50; i++) session.Send(i % 2 == 0 ? EngineMessage.Text("m" + i) : EngineMessage.Binary(new[] { (byte)i }));

        for (var i = 0; i < 50; i++)
        {
            var frame = await socket.ReceiveFrameAsync();
            if (i % 2 == 0) frame.Text.Should().Be("4m" + i);
            else frame.Data.Should().Equal((byte)i);
        }
    }

    // ---- Concurrent senders ----

    private static async Task SendConcurrentlyAsync(EngineSession session, int senders, int perSender)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < perSender; i++) session.Send(EngineMessage.Text($"{s}:{i}"));
        })).ToArray();
        start.Set();
        await Task.WhenAll(tasks).WaitAsync(Limits.Await);
    }

    private static void AssertEverySenderInOrder(IReadOnlyList<string> received, int senders, int perSender)
    {
        received.Should().HaveCount(senders * perSender);
        for (var s = 0; s < senders; s++)
        {
            var prefix = s + ":";
            received.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Select(r => int.Parse(r[prefix.Length..]))
                .Should().Equal(Enumerable.Range(0, perSender));
        }
    }

    [Fact]
    public async Task Concurrent_senders_lose_nothing_and_keep_their_order_over_websocket()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await SendConcurrentlyAsync(host.Handler.For(sid).Session!, senders: 4, perSender: 250);

        var received = new List<string>();
        for (var i = 0; i < 1000; i++) received.Add((await socket.ReceiveTextAsync())[1..]);
        AssertEverySenderInOrder(received, 4, 250);
    }

    [Fact]
    public async Task Concurrent_senders_lose_nothing_and_keep_their_order_over_polling()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var received = new List<string>();
        var polling = Task.Run(async () =>
        {
            while (received.Count < 1000)
            {
                foreach (var record in (await client.GetAsync()).Split('\x1e')) received.Add(record[1..]);
            }
        });

        await SendConcurrentlyAsync(client.Session, senders: 4, perSender: 250);

        await polling.WaitAsync(Limits.Await);
        AssertEverySenderInOrder(received, 4, 250);
    }

    // ---- Heartbeat ----

    [Fact]
    public async Task The_server_pings_a_polling_client_and_a_pong_brings_the_next_ping()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromSeconds(3);
        });
        var client = await host.OpenPollingAsync();

        (await client.GetAsync()).Should().Be("2");
        await client.PostAsync("3");
        // Under v4 the next ping is only scheduled once the pong arrived: a second ping proves it was taken.
        (await client.GetAsync()).Should().Be("2");
        await client.PostAsync("3");
        (await client.GetAsync()).Should().Be("2");
        client.Log.IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task The_server_pings_a_websocket_client_and_a_pong_brings_the_next_ping()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromSeconds(3);
        });
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        (await socket.ReceiveTextAsync()).Should().Be("2");
        await socket.SendTextAsync("3");
        (await socket.ReceiveTextAsync()).Should().Be("2");
        await socket.SendTextAsync("3");
        (await socket.ReceiveTextAsync()).Should().Be("2");
        host.Handler.For(sid).IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task A_polling_client_that_never_answers_is_closed_with_PingTimeout()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(150);
        });
        var client = await host.OpenPollingAsync();

        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.PingTimeout);
        client.Log.CloseCount.Should().Be(1);
        host.Server.ClientsCount.Should().Be(0);
    }

    /// <summary>A host on <paramref name="clock"/> with a 10 s ping interval and a 3 s ping timeout.</summary>
    private static Task<EngineTestHost> StartWithSlowHeartbeatAsync(ManualTimeProvider clock) =>
        EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromSeconds(10);
            o.PingTimeout = TimeSpan.FromSeconds(3);
        }, clock);

    [Fact]
    public async Task A_request_after_the_ping_deadline_finds_the_session_timed_out_even_if_the_timer_is_late()
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartWithSlowHeartbeatAsync(clock);
        var client = await host.OpenPollingAsync();

        clock.Advance(TimeSpan.FromSeconds(10)); // the ping is queued; the client never fetches it
        clock.Lag(TimeSpan.FromSeconds(2.9));
        client.Session.IsOpen.Should().BeTrue("the deadline has not passed yet");
        clock.Lag(TimeSpan.FromSeconds(0.2)); // past the deadline, and the timeout timer has not run

        using var response = await host.Http.GetAsync(client.Path).WaitAsync(Limits.Await);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.PingTimeout);
        client.Log.CloseCount.Should().Be(1);
    }

    [Fact]
    public async Task The_ping_timeout_counts_from_when_the_ping_was_due_not_from_a_late_timer()
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartWithSlowHeartbeatAsync(clock);
        var client = await host.OpenPollingAsync();

        clock.Lag(TimeSpan.FromSeconds(12)); // the ping timer is 2 s late
        clock.Advance(TimeSpan.Zero); // it runs now and queues the ping
        client.Log.IsClosed.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1)); // 13 s after the open: 10 s interval + 3 s timeout

        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.PingTimeout);
    }

    [Fact]
    public async Task A_websocket_client_that_never_answers_is_closed_with_PingTimeout()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(150);
        });
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        (await socket.ReceiveTextAsync()).Should().Be("2");
        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        (await host.Handler.For(sid).ClosedAsync()).Should().Be(EngineCloseReason.PingTimeout);
    }

    [Fact]
    public async Task A_pong_that_was_not_asked_for_is_ignored()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        await client.PostAsync("3");
        await client.AssertStillEchoesAsync();
    }

    // ---- Upgrade ----

    private static async Task<ClientWebSocket> ProbeAsync(EngineTestHost host, PollingClient client)
    {
        var socket = await host.ConnectWebSocketAsync(client.Sid);
        await socket.SendTextAsync("2probe");
        (await socket.ReceiveTextAsync()).Should().Be("3probe");
        return socket;
    }

    [Fact]
    public async Task A_poll_that_arrives_after_the_probe_is_answered_with_a_noop_at_once()
    {
        // A clock that never moves: the session's periodic noop timer cannot be what answers the poll.
        var clock = new ManualTimeProvider();
        await using var host = await StartWithSlowHeartbeatAsync(clock);
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);
        (await client.GetAsync()).Should().Be("6", "a poll that arrives while the upgrade waits must not wait for a timer");
    }

    [Fact]
    public async Task An_upgrade_moves_the_session_to_websocket_without_losing_or_reordering_packets()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var session = client.Session;
        var upgrading = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var upgraded = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Upgrading += (_, name) => upgrading.TrySetResult(name);
        session.Upgraded += (_, name) => upgraded.TrySetResult(name);

        session.Send(EngineMessage.Text("before"));
        (await client.GetAsync()).Should().Be("4before");
        var pendingGet = client.StartGetAsync();
        await Limits.EventuallyAsync(() => session.IsWritable, "the GET is waiting");

        using var socket = await ProbeAsync(host, client);

        // The waiting poll is released with a noop, so that the client can pause polling.
        using (var released = await pendingGet.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(released)).Should().Be("6");
        (await upgrading.Task.WaitAsync(Limits.Await)).Should().Be("websocket");
        session.TransportName.Should().Be("polling");

        // Sent while the client has paused: neither transport may take them yet.
        session.Send(EngineMessage.Text("a"));
        session.Send(EngineMessage.Binary(new byte[] { 1 }));
        session.Send(EngineMessage.Text("c"));

        await socket.SendTextAsync("5");

        (await socket.ReceiveTextAsync()).Should().Be("4a");
        (await socket.ReceiveFrameAsync()).Data.Should().Equal(1);
        (await socket.ReceiveTextAsync()).Should().Be("4c");
        (await upgraded.Task.WaitAsync(Limits.Await)).Should().Be("websocket");
        session.TransportName.Should().Be("websocket");

        await socket.SendTextAsync("4over ws");
        (await client.Log.NextMessageAsync()).Text.Should().Be("over ws");
        (await socket.ReceiveTextAsync()).Should().Be("4over ws");

        using var lateGet = await host.Http.GetAsync(client.Path).WaitAsync(Limits.Await);
        await lateGet.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");
        client.Log.IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task A_poll_still_waiting_when_the_upgrade_completes_is_released_with_a_noop()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);
        var pendingGet = client.StartGetAsync();
        // The GET must be in before the upgrade completes (after it, polling is refused); the probe's noop timer
        // may already have released it.
        await Limits.EventuallyAsync(() => client.Session.IsWritable || pendingGet.IsCompleted, "the GET arrived");

        await socket.SendTextAsync("5");
        await Limits.EventuallyAsync(() => client.Session.TransportName == "websocket", "the upgrade completed");

        using var released = await pendingGet.WaitAsync(Limits.Await);
        (await PollingClient.ReadPayloadAsync(released)).Should().Be("6");
        client.Session.Send(EngineMessage.Text("after"));
        (await socket.ReceiveTextAsync()).Should().Be("4after");
    }

    [Fact]
    public async Task An_upgrade_not_completed_in_time_is_cancelled_and_the_session_stays_on_polling()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.UpgradeTimeout = TimeSpan.FromMilliseconds(300));
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);

        client.Session.TransportName.Should().Be("polling");
        await client.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_message_instead_of_the_upgrade_packet_cancels_the_upgrade()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);

        await socket.SendTextAsync("4too early");

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        client.Log.Messages.Should().BeEmpty();
        client.Session.TransportName.Should().Be("polling");
        await client.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_client_that_closes_its_websocket_after_the_probe_keeps_its_session_on_polling()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Limits.Await);

        client.Session.TransportName.Should().Be("polling");
        await client.AssertStillEchoesAsync();
        client.Log.IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task A_client_that_drops_its_websocket_after_the_probe_keeps_its_session_on_polling()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var socket = await ProbeAsync(host, client);

        socket.Abort();
        socket.Dispose();

        client.Session.TransportName.Should().Be("polling");
        await client.AssertStillEchoesAsync();

        // A new probe is accepted once the engine has noticed the dead one (it raises no event for that: retry).
        var deadline = DateTime.UtcNow + Limits.Await;
        ClientWebSocket again;
        while (true)
        {
            again = await host.ConnectWebSocketAsync(client.Sid);
            await again.SendTextAsync("2probe");
            var answer = await again.ReceiveFrameAsync();
            if (answer.Type == WebSocketMessageType.Text && answer.Text == "3probe") break;
            again.Dispose();
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No new probe was accepted.");
            await Task.Delay(20);
        }
        using var _ = again;
        await again.SendTextAsync("5");
        await Limits.EventuallyAsync(() => client.Session.TransportName == "websocket", "the second upgrade completed");
        client.Log.IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task Close_during_an_upgrade_sends_the_close_packet_over_the_new_transport_once_it_completes()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);

        client.Session.Send(EngineMessage.Text("last"));
        client.Session.Close();
        await socket.SendTextAsync("5");

        (await socket.ReceiveTextAsync()).Should().Be("4last");
        (await socket.ReceiveTextAsync()).Should().Be("1");
        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);
        client.Log.CloseCount.Should().Be(1);
    }

    [Fact]
    public async Task After_an_upgrade_the_heartbeat_runs_over_websocket()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromSeconds(3);
        });
        var client = await host.OpenPollingAsync();
        (await client.GetAsync()).Should().Be("2");
        await client.PostAsync("3");
        using var socket = await ProbeAsync(host, client);
        await socket.SendTextAsync("5");

        (await socket.ReceiveTextAsync()).Should().Be("2");
        await socket.SendTextAsync("3");
        (await socket.ReceiveTextAsync()).Should().Be("2");
        client.Log.IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task Shutdown_during_an_upgrade_closes_both_transports_and_the_session_once()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var socket = await ProbeAsync(host, client);
        var get = client.StartGetAsync();

        host.Server.Shutdown();

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        using (var response = await get.WaitAsync(Limits.Await))
        {
            // Either the poll was still waiting (it gets the close packet) or it came after the session was gone.
            if (response.StatusCode == HttpStatusCode.OK) (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().BeOneOf("1", "6");
            else await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 1, "Session ID unknown");
        }
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ServerShutdown);
        client.Log.CloseCount.Should().Be(1);
    }

    [Fact]
    public async Task A_session_without_upgrades_refuses_a_websocket()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowUpgrades = false);
        var client = await host.OpenPollingAsync();
        using var socket = await host.ConnectWebSocketAsync(client.Sid);

        (await socket.ReceiveCloseAsync()).Type.Should().Be(WebSocketMessageType.Close);
        await client.AssertStillEchoesAsync();
    }

    // ---- Close ----

    [Fact]
    public async Task Close_answers_the_waiting_poll_with_a_close_packet_and_tells_the_handler_ForcedClose()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var get = client.StartGetAsync();
        await Limits.EventuallyAsync(() => client.Session.IsWritable, "the GET is waiting");

        client.Session.Close();

        using (var response = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(response)).Should().Be("1");
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);
        client.Log.CloseCount.Should().Be(1);
        client.Session.IsOpen.Should().BeFalse();
    }

    [Fact]
    public async Task Close_delivers_what_was_queued_then_the_close_packet_in_a_payload_of_its_own()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();

        client.Session.Send(EngineMessage.Text("bye"));
        client.Session.Close();
        client.Session.Send(EngineMessage.Text("too late"));
        client.Session.IsOpen.Should().BeFalse();

        // engine.io-client acts on a close packet at once, before the messages beside it in the same payload have
        // reached the layer above: a DISCONNECT queued before the close must arrive in an earlier response.
        (await client.GetAsync()).Should().Be("4bye");
        client.Log.CloseCount.Should().Be(0);
        (await client.GetAsync()).Should().Be("1");
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);
    }

    [Fact]
    public async Task Close_on_websocket_sends_the_queue_then_a_close_packet_then_a_close_frame()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var session = host.Handler.For(sid).Session!;

        session.Send(EngineMessage.Text("bye"));
        session.Close();

        (await socket.ReceiveTextAsync()).Should().Be("4bye");
        (await socket.ReceiveTextAsync()).Should().Be("1");
        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        (await host.Handler.For(sid).ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);
    }

    [Fact]
    public async Task A_polling_client_that_never_fetches_its_close_packet_is_closed_after_30_seconds()
    {
        var clock = new ManualTimeProvider();
        await using var host = await EngineTestHost.StartAsync(timeProvider: clock);
        var client = await host.OpenPollingAsync();

        client.Session.Close();
        clock.Advance(TimeSpan.FromSeconds(29));
        client.Log.IsClosed.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);
        client.Log.CloseCount.Should().Be(1);
    }

    [Fact]
    public async Task A_closing_session_sends_no_ping_after_its_close_packet()
    {
        var clock = new ManualTimeProvider();
        await using var host = await EngineTestHost.StartAsync(timeProvider: clock);
        var client = await host.OpenPollingAsync();

        client.Session.Close();
        clock.Advance(EngineIoOptions.DefaultPingInterval);

        // The close packet is the last thing a closing session sends; once it is out, the session is closed.
        (await client.GetAsync()).Should().Be("1");
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);
    }

    [Fact]
    public async Task A_close_packet_from_a_polling_client_releases_its_poll_with_a_noop_and_closes_with_TransportClose()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var get = client.StartGetAsync();
        await Limits.EventuallyAsync(() => client.Session.IsWritable, "the GET is waiting");

        await client.PostAsync("1");

        using (var response = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(response)).Should().Be("6");
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.TransportClose);
        client.Log.CloseCount.Should().Be(1);
    }

    [Fact]
    public async Task Packets_after_a_close_packet_in_the_same_payload_are_not_delivered()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();

        await client.PostAsync("4first\x1e" + "1\x1e" + "4after");

        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.TransportClose);
        client.Log.Messages.Select(m => m.Text).Should().Equal("first");
    }

    [Fact]
    public async Task A_websocket_closed_by_the_client_closes_the_session_with_TransportClose()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Limits.Await);

        (await host.Handler.For(sid).ClosedAsync()).Should().Be(EngineCloseReason.TransportClose);
        host.Handler.For(sid).CloseCount.Should().Be(1);
    }

    // ---- IsWritable ----

    [Fact]
    public async Task A_polling_session_is_writable_only_while_a_poll_waits()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        client.Session.IsWritable.Should().BeFalse("the handshake poll has been answered");

        var get = client.StartGetAsync();
        await Limits.EventuallyAsync(() => client.Session.IsWritable, "the GET is waiting");
        client.Session.Send(EngineMessage.Text("x"));
        using (var response = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(response)).Should().Be("4x");

        client.Session.IsWritable.Should().BeFalse();
    }

    [Fact]
    public async Task A_websocket_session_is_writable_when_idle_and_not_once_closed()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var session = host.Handler.For(sid).Session!;

        await Limits.EventuallyAsync(() => session.IsWritable, "the handshake frame is written");
        session.Close();
        session.IsWritable.Should().BeFalse();
    }
}
