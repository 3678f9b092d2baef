namespace SocketIo.Tests.Integration;

public sealed class RoomAndBroadcastTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private RawClient _a = null!, _b = null!, _c = null!;
    private SocketIoSocket _sa = null!, _sb = null!, _sc = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _a = await RawClient.ConnectAsync(_server);
        _b = await RawClient.ConnectAsync(_server);
        _c = await RawClient.ConnectAsync(_server);
        _sa = _server.Socket(await _a.JoinAsync());
        _sb = _server.Socket(await _b.JoinAsync());
        _sc = _server.Socket(await _c.JoinAsync());
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _c.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// Sends a marker to every client and checks what each received before it: the frames a broadcast delivered,
    /// and nothing for the clients it left out (frames are ordered per connection).
    /// </summary>
    private async Task ExpectBeforeMarkerAsync(string[]? a, string[] b, string[] c)
    {
        _server.Io.Emit("marker");
        foreach (var (client, expected) in new[] { (_a, a), (_b, b), (_c, c) })
        {
            // Null: the client left the namespace, it gets no marker.
            if (expected is null) continue;
            var frames = new List<string>();
            while (true)
            {
                var text = await client.ReceiveTextAsync();
                if (text == "42[\"marker\"]") break;
                frames.Add(text);
            }
            frames.Should().Equal(expected);
        }
    }

    [Fact]
    public async Task A_socket_is_always_in_the_room_named_after_its_id()
    {
        _sa.Rooms.Should().Equal(_sa.Id);
        _server.Io.To(_sb.Id).Emit("direct", 1);

        await ExpectBeforeMarkerAsync([], ["42[\"direct\",1]"], []);
    }

    [Fact]
    public async Task Join_and_leave_change_who_a_room_broadcast_reaches()
    {
        _sa.Join("news");
        _sb.Join("news");
        _server.Io.To("news").Emit("n", 1);
        await ExpectBeforeMarkerAsync(["42[\"n\",1]"], ["42[\"n\",1]"], []);

        _sb.Leave("news");
        _sa.Rooms.Should().BeEquivalentTo([_sa.Id, "news"]);
        _sb.Rooms.Should().BeEquivalentTo([_sb.Id]);
        _server.Io.In("news").Emit("n", 2);
        await ExpectBeforeMarkerAsync(["42[\"n\",2]"], [], []);
    }

    [Fact]
    public async Task A_socket_broadcast_to_a_room_leaves_the_sender_out()
    {
        _sa.Join("room");
        _sb.Join("room");

        _sa.To("room").Emit("from-a");

        await ExpectBeforeMarkerAsync([], ["42[\"from-a\"]"], []);
    }

    [Fact]
    public async Task A_socket_broadcast_reaches_everyone_else()
    {
        _sa.Broadcast.Emit("all-but-a");

        await ExpectBeforeMarkerAsync([], ["42[\"all-but-a\"]"], ["42[\"all-but-a\"]"]);
    }

    [Fact]
    public async Task Except_leaves_out_the_sockets_of_a_room()
    {
        _sc.Join("muted");

        _server.Io.Except("muted").Emit("x");
        _sa.Except("muted").Emit("y");

        await ExpectBeforeMarkerAsync(["42[\"x\"]"], ["42[\"x\"]", "42[\"y\"]"], []);
    }

    [Fact]
    public async Task A_socket_in_several_targeted_rooms_gets_the_packet_once()
    {
        _sa.Join(["r1", "r2"]);
        _sb.Join("r2");

        _server.Io.To("r1").To("r2").Emit("once");
        _server.Io.To(["r1", "r2"]).Except(_sb.Id).Emit("twice-targeted");

        await ExpectBeforeMarkerAsync(["42[\"once\"]", "42[\"twice-targeted\"]"], ["42[\"once\"]"], []);
    }

    [Fact]
    public async Task Volatile_and_uncompressed_emits_are_delivered_to_a_writable_client()
    {
        _server.Io.Volatile.Emit("v1");
        _sa.Volatile.Emit("v2");
        _server.Io.Compress(false).Emit("c1");
        _sb.Compress(false).Emit("c2");

        await ExpectBeforeMarkerAsync(["42[\"v1\"]", "42[\"v2\"]", "42[\"c1\"]"], ["42[\"v1\"]", "42[\"c1\"]", "42[\"c2\"]"], ["42[\"v1\"]", "42[\"c1\"]"]);
    }

    [Fact]
    public async Task FetchSocketsAsync_honours_rooms_and_exclusions()
    {
        _sa.Join("team");
        _sb.Join("team");

        (await _server.Io.FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout)).Select(s => s.LocalSocket).Should().BeEquivalentTo([_sa, _sb, _sc]);
        (await _server.Io.In("team").FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout)).Select(s => s.LocalSocket).Should().BeEquivalentTo([_sa, _sb]);
        (await _server.Io.In("team").Except(_sa.Id).FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout)).Select(s => s.LocalSocket).Should().BeEquivalentTo([_sb]);
        (await _server.Io.Except("team").FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout)).Select(s => s.LocalSocket).Should().BeEquivalentTo([_sc]);
    }

    [Fact]
    public async Task A_fetched_socket_carries_its_rooms_data_and_handshake_and_can_be_reached()
    {
        _sa.Join("team");
        _sa.Data = "alice";

        var fetched = (await _server.Io.In("team").FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout)).Single();

        fetched.Id.Should().Be(_sa.Id);
        fetched.IsLocal.Should().BeTrue();
        fetched.Rooms.Should().BeEquivalentTo([_sa.Id, "team"]);
        fetched.Data.Should().Be("alice");
        fetched.Handshake.Url.Should().Be(_sa.Handshake.Url);
        fetched.Handshake.Issued.Should().Be(_sa.Handshake.Issued);
        fetched.Emit("hello", 1);
        (await _a.ReceiveTextAsync()).Should().Be("42[\"hello\",1]");
        await fetched.JoinAsync("vip").WaitAsync(TestServer.Timeout);
        _sa.Rooms.Should().Contain("vip");
        await fetched.DisconnectAsync().WaitAsync(TestServer.Timeout);
        (await _a.ReceiveTextAsync()).Should().Be("41");
    }

    [Fact]
    public async Task The_in_memory_adapter_counts_one_server_and_has_no_one_to_answer_server_side_events()
    {
        (await _server.Io.ServerCountAsync().WaitAsync(TestServer.Timeout)).Should().Be(1);
        (await _server.Io.ServerSideEmitWithAckAsync("ping", [1]).WaitAsync(TestServer.Timeout)).Should().BeEmpty();
    }

    [Fact]
    public async Task SocketsJoin_and_SocketsLeave_move_the_targeted_sockets()
    {
        _server.Io.In(_sa.Id).SocketsJoin("vip", "staff");
        _server.Io.SocketsJoin("everyone");

        _sa.Rooms.Should().BeEquivalentTo([_sa.Id, "vip", "staff", "everyone"]);
        _sb.Rooms.Should().BeEquivalentTo([_sb.Id, "everyone"]);

        _server.Io.In("vip").SocketsLeave("staff");
        _server.Io.SocketsLeave("everyone");

        _sa.Rooms.Should().BeEquivalentTo([_sa.Id, "vip"]);
        _sc.Rooms.Should().BeEquivalentTo([_sc.Id]);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task DisconnectSockets_sends_a_namespace_disconnect_to_the_targeted_sockets()
    {
        _sa.Join("kick");

        _server.Io.In("kick").DisconnectSockets();

        (await _a.ReceiveTextAsync()).Should().Be("41");
        (await _server.DisconnectReasonAsync(_sa.Id)).Should().Be(DisconnectReason.ServerNamespaceDisconnect);
        _sa.Connected.Should().BeFalse();
        _a.Closed.IsCompleted.Should().BeFalse("only the namespace was left, not the connection");
        await ExpectBeforeMarkerAsync(null, [], []);
    }

    [Fact]
    public async Task DisconnectSockets_with_close_closes_the_connections()
    {
        _sb.Join("kick");

        _server.Io.In("kick").DisconnectSockets(close: true);

        await _b.WaitClosedAsync();
        _sb.Connected.Should().BeFalse();
        _server.Io.Emit("marker");
        (await _a.ReceiveTextAsync()).Should().Be("42[\"marker\"]");
        (await _c.ReceiveTextAsync()).Should().Be("42[\"marker\"]");
    }

    [Fact]
    public async Task A_disconnected_socket_leaves_every_room()
    {
        _sa.Join("gone");
        await _a.SendAsync("41");
        await _server.DisconnectReasonAsync(_sa.Id);

        _server.Io.MainNamespace.Adapter.Rooms.Should().NotContain(["gone", _sa.Id]);
        (await _server.Io.In("gone").FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout)).Should().BeEmpty();
    }
}
