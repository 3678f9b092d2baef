using System.Net;

namespace SocketIo.Tests.Integration;

/// <summary>
/// The graceful shutdown (<see cref="SocketIoServer.CloseAsync"/>, run when the host stops): new handshakes are
/// refused, every socket disconnects as "server shutting down", what is queued still reaches its client, a waiting
/// poll is answered, and the host's shutdown timeout bounds it all.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task A_polling_client_gets_what_was_queued_then_the_close_packet_and_new_handshakes_are_refused()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);
        using var client = await PollingClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        // No GET is waiting: both stay queued.
        server.Io.To(sid).Emit("first", 1);
        server.Io.To(sid).Emit("second", 2);

        var closing = server.Io.CloseAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerShuttingDown);

        using (var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestServer.Timeout })
        using (var refused = await http.GetAsync("/socket.io/?EIO=4&transport=polling"))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }
        metrics.Sum("engineio.handshakes.refused").Should().Be(1);
        closing.IsCompleted.Should().BeFalse("the client has not fetched what is queued for it yet");

        (await client.PollAsync()).Should().Equal("42[\"first\",1]", "42[\"second\",2]");
        (await client.PollAsync()).Should().Equal("1");
        await closing.WaitAsync(TestServer.Timeout);
        server.Io.Engine.ClientsCount.Should().Be(0);
        metrics.Sum("socketio.disconnects{socketio.disconnect.reason=server shutting down}").Should().Be(1);
        metrics.Sum("engineio.closes{engineio.close.reason=server shutdown}").Should().Be(1);
    }

    [Fact]
    public async Task A_waiting_poll_is_answered_with_the_close_packet()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await PollingClient.ConnectAsync(server);
        await client.JoinAsync();
        var poll = client.PollAsync();
        server.Io.Engine.TryGetSession(client.Sid, out var session).Should().BeTrue();
        // The GET is waiting at the server once the session can take a packet at once.
        using (var cts = new CancellationTokenSource(TestServer.Timeout))
        {
            while (!session.IsWritable && !cts.IsCancellationRequested) await Task.Delay(10);
        }
        session.IsWritable.Should().BeTrue();

        await server.Io.CloseAsync().WaitAsync(TestServer.Timeout);

        (await poll.WaitAsync(TestServer.Timeout)).Should().Equal("1");
    }

    [Fact]
    public async Task A_websocket_client_gets_every_event_emitted_before_the_shutdown_then_the_close()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        const int count = 200;
        for (var i = 0; i < count; i++) server.Io.Emit("n", i);
        await server.Io.CloseAsync().WaitAsync(TestServer.Timeout);

        for (var i = 0; i < count; i++) (await client.ReceiveTextAsync()).Should().Be($"42[\"n\",{i}]");
        (await client.ReceiveTextAsync()).Should().Be("1");
        await client.WaitClosedAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerShuttingDown);
    }

    [Fact]
    public async Task The_shutdown_ends_at_once_when_its_time_is_up()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await PollingClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        server.Io.To(sid).Emit("never fetched");

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await server.Io.CloseAsync(deadline.Token).WaitAsync(TestServer.Timeout);

        deadline.IsCancellationRequested.Should().BeTrue("the client never came back, so only the deadline could end it");
        server.Io.Engine.ClientsCount.Should().Be(0);
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerShuttingDown);
    }

    [Fact]
    public async Task Stopping_the_host_shuts_the_server_down_gracefully()
    {
        var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        server.Io.Emit("bye", "now");

        await server.DisposeAsync();

        (await client.ReceiveTextAsync()).Should().Be("42[\"bye\",\"now\"]");
        (await client.ReceiveTextAsync()).Should().Be("1");
        await client.WaitClosedAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerShuttingDown);
    }
}
