namespace SocketIo.Tests.Integration;

public sealed class DisconnectTests
{
    [Fact]
    public async Task A_client_namespace_disconnect_is_reported_with_its_reason_and_keeps_the_connection()
    {
        await using var server = await TestServer.StartAsync(io => io.Of("/other"));
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        await client.JoinAsync("/other");

        await client.SendAsync("41");

        (await server.DisconnectingReasonAsync(sid)).Should().Be(DisconnectReason.ClientNamespaceDisconnect);
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ClientNamespaceDisconnect);
        server.Io.MainNamespace.Sockets.Should().BeEmpty();
        client.Closed.IsCompleted.Should().BeFalse();
        await client.JoinAsync();
    }

    [Fact]
    public async Task A_server_namespace_disconnect_sends_disconnect_to_the_client()
    {
        await using var server = await TestServer.StartAsync(io => io.Of("/chat"));
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync("/chat");
        var socket = server.Socket(sid, "/chat");
        var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        var roomsWhileDisconnecting = new TaskCompletionSource<IReadOnlySet<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.Join("r");
        socket.Disconnecting += (s, _) => roomsWhileDisconnecting.TrySetResult(s.Rooms);
        socket.Disconnected += (_, r) => reason.TrySetResult(r);

        socket.Disconnect();

        (await client.ReceiveTextAsync()).Should().Be("41/chat,");
        (await reason.Task.WaitAsync(TestServer.Timeout)).Should().Be(DisconnectReason.ServerNamespaceDisconnect);
        (await roomsWhileDisconnecting.Task.WaitAsync(TestServer.Timeout)).Should().Contain("r");
        socket.Connected.Should().BeFalse();
        socket.DisconnectToken.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task Disconnect_with_close_closes_the_whole_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        server.Socket(sid).Disconnect(close: true);

        await client.WaitClosedAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerNamespaceDisconnect);
    }

    [Fact]
    public async Task A_client_closing_its_websocket_is_a_transport_close()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        await client.CloseAsync();

        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.TransportClose);
    }

    [Fact]
    public async Task A_client_that_stops_answering_pings_is_a_ping_timeout()
    {
        await using var server = await TestServer.StartAsync(options: o => o.PingTimeout = TimeSpan.FromMilliseconds(500));
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        client.AnswerPings = false;

        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.PingTimeout);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task A_client_answering_pings_stays_connected_across_several_heartbeats()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        var disconnected = server.DisconnectReasonAsync(sid);

        // Three heartbeats (300 ms each): the only wait here is for time itself to pass.
        await Task.Delay(TimeSpan.FromMilliseconds(1000));

        disconnected.IsCompleted.Should().BeFalse();
        await client.SendAsync("421[\"echo\",1]");
        (await client.ReceiveTextAsync()).Should().Be("431[1]");
    }

    [Fact]
    public async Task Closing_the_server_disconnects_every_socket_as_server_shutting_down()
    {
        await using var server = await TestServer.StartAsync(io => io.Of("/chat").OnConnection(s => { }));
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        await server.Io.CloseAsync().WaitAsync(TestServer.Timeout);

        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerShuttingDown);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Each_reason_has_the_reference_spelling()
    {
        DisconnectReason.ClientNamespaceDisconnect.ToProtocolString().Should().Be("client namespace disconnect");
        DisconnectReason.ServerShuttingDown.ToProtocolString().Should().Be("server shutting down");
        DisconnectReason.PingTimeout.ToProtocolString().Should().Be("ping timeout");
        await Task.CompletedTask;
    }
}
