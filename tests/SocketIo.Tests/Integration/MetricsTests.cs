using System.Net.WebSockets;
using System.Text;
using SocketIo.Adapters;

namespace SocketIo.Tests.Integration;

/// <summary>
/// The engine's and Socket.IO's instruments, read with a <c>MeterListener</c> while real clients talk to a real
/// Kestrel: each one moves as a scripted session goes, and only by what happened.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Connections_packets_bytes_and_broadcasts_are_counted_as_a_session_goes()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);

        await using var first = await RawClient.ConnectAsync(server);
        metrics.Sum("engineio.handshakes{engineio.transport=websocket}").Should().Be(1);
        metrics.Observe("engineio.connections{engineio.transport=websocket}").Should().Be(1);
        metrics.Observe("engineio.connections{engineio.transport=polling}").Should().Be(0);

        // CONNECT in ("0", one byte), CONNECT out.
        var sid = await first.JoinAsync();
        metrics.Observe("socketio.sockets{socketio.namespace=/}").Should().Be(1);
        metrics.Sum("socketio.packets.received").Should().Be(1);
        metrics.Sum("socketio.bytes.received").Should().Be(1);
        (await metrics.SumEventuallyAsync("socketio.packets.sent", 1)).Should().Be(1);
        var connectReply = Encoding.UTF8.GetByteCount($"0{{\"sid\":\"{sid}\"}}");
        metrics.Sum("socketio.bytes.sent").Should().Be(connectReply);

        // An event with an acknowledgement: one packet each way.
        await first.SendAsync("421[\"echo\",\"hi\"]");
        (await first.ReceiveTextAsync()).Should().Be("431[\"hi\"]");
        metrics.Sum("socketio.packets.received").Should().Be(2);
        metrics.Sum("socketio.bytes.received").Should().Be(1 + "21[\"echo\",\"hi\"]".Length);
        (await metrics.SumEventuallyAsync("socketio.packets.sent", 2)).Should().Be(2);
        metrics.Sum("socketio.bytes.sent").Should().Be(connectReply + "31[\"hi\"]".Length);

        // A broadcast to two sockets: one broadcast, two deliveries of the same bytes.
        await using var second = await RawClient.ConnectAsync(server);
        await second.JoinAsync();
        var sentBefore = await metrics.SumEventuallyAsync("socketio.packets.sent", 3);
        var bytesBefore = metrics.Sum("socketio.bytes.sent");
        server.Io.Emit("news", 1);
        (await first.ReceiveTextAsync()).Should().Be("42[\"news\",1]");
        (await second.ReceiveTextAsync()).Should().Be("42[\"news\",1]");
        metrics.Sum("socketio.broadcasts{socketio.namespace=/}").Should().Be(1);
        metrics.Sum("socketio.packets.sent").Should().Be(sentBefore + 2);
        metrics.Sum("socketio.bytes.sent").Should().Be(bytesBefore + 2 * "2[\"news\",1]".Length);
        metrics.Observe("socketio.sockets{socketio.namespace=/}").Should().Be(2);
    }

    [Fact]
    public async Task A_volatile_packet_a_polling_client_cannot_take_now_is_counted_as_dropped()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);
        using var client = await PollingClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        metrics.Sum("engineio.handshakes{engineio.transport=polling}").Should().Be(1);
        metrics.Observe("engineio.connections{engineio.transport=polling}").Should().Be(1);

        // No GET is waiting: the volatile packet is not queued.
        server.Io.Volatile.To(sid).Emit("tick", 1);
        metrics.Sum("socketio.packets.dropped{socketio.drop.reason=volatile}").Should().Be(1);

        // A regular one is kept for the next GET.
        server.Io.To(sid).Emit("tock", 2);
        (await client.PollAsync()).Should().Equal("42[\"tock\",2]");
        metrics.Sum("socketio.packets.dropped{socketio.drop.reason=volatile}").Should().Be(1);
    }

    [Fact]
    public async Task An_upgrade_moves_the_connection_from_polling_to_websocket()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);
        using var client = await PollingClient.ConnectAsync(server);

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(server.WebSocketUri("&sid=" + client.Sid), CancellationToken.None).WaitAsync(TestServer.Timeout);
        await ws.SendAsync("2probe"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestServer.Timeout);
        var buffer = new byte[64];
        var probe = await ws.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestServer.Timeout);
        Encoding.UTF8.GetString(buffer, 0, probe.Count).Should().Be("3probe");
        metrics.Sum("engineio.upgrades{engineio.transport=websocket}").Should().Be(0);
        await ws.SendAsync("5"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestServer.Timeout);

        (await metrics.SumEventuallyAsync("engineio.upgrades{engineio.transport=websocket}", 1)).Should().Be(1);
        metrics.Observe("engineio.connections{engineio.transport=websocket}").Should().Be(1);
        metrics.Observe("engineio.connections{engineio.transport=polling}").Should().Be(0);
    }

    [Fact]
    public async Task Acknowledgements_are_pending_until_answered_and_counted_when_they_time_out()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);
        await using var client = await RawClient.ConnectAsync(server);
        var socket = server.Socket(await client.JoinAsync());

        var answered = socket.EmitWithAckAsync<string>("question");
        var question = await client.ReceiveTextAsync();
        question.Should().MatchRegex("^42[0-9]+\\[\"question\"\\]$");
        metrics.Observe("socketio.acks.pending").Should().Be(1);
        var id = question[2..question.IndexOf('[')];
        await client.SendAsync($"43{id}[\"yes\"]");
        (await answered.WaitAsync(TestServer.Timeout)).Should().Be("yes");
        metrics.Observe("socketio.acks.pending").Should().Be(0);
        metrics.Sum("socketio.acks.timed_out").Should().Be(0);

        var unanswered = socket.Timeout(TimeSpan.FromMilliseconds(100)).EmitWithAckAsync<string>("silence");
        await unanswered.Invoking(t => t.WaitAsync(TestServer.Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
        metrics.Sum("socketio.acks.timed_out").Should().Be(1);
        metrics.Observe("socketio.acks.pending").Should().Be(0);

        // A broadcast with a timeout counts each recipient that did not answer.
        var broadcast = server.Io.Timeout(TimeSpan.FromMilliseconds(100)).EmitWithAckAsync<string>("silence");
        await broadcast.Invoking(t => t.WaitAsync(TestServer.Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
        metrics.Sum("socketio.acks.timed_out").Should().Be(2);
    }

    [Fact]
    public async Task Disconnects_and_closes_are_counted_by_reason()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);
        await using var leaving = await RawClient.ConnectAsync(server);
        var leavingSid = await leaving.JoinAsync();
        await using var closing = await RawClient.ConnectAsync(server);
        var closingSid = await closing.JoinAsync();

        await leaving.SendAsync("41");
        await server.DisconnectReasonAsync(leavingSid);
        metrics.Sum("socketio.disconnects{socketio.disconnect.reason=client namespace disconnect}").Should().Be(1);

        await closing.SendAsync("1");
        await server.DisconnectReasonAsync(closingSid);
        metrics.Sum("socketio.disconnects{socketio.disconnect.reason=transport close}").Should().Be(1);
        metrics.Sum("engineio.closes{engineio.close.reason=transport close}").Should().Be(1);
        metrics.Observe("socketio.sockets{socketio.namespace=/}").Should().Be(0);
        metrics.Observe("engineio.connections{engineio.transport=websocket}").Should().Be(1);
    }

    [Fact]
    public async Task A_multi_node_adapter_counts_its_requests_and_timeouts()
    {
        await using var server = await TestServer.StartAsync();
        using var metrics = new MetricRecorder(server);
        var adapter = new RequestingAdapter(server.Io.MainNamespace);

        adapter.Request("FETCH_SOCKETS", timesOut: false);
        adapter.Request("FETCH_SOCKETS", timesOut: true);
        adapter.Request("SERVER_SIDE_EMIT", timesOut: false);

        metrics.Sum("socketio.adapter.requests{socketio.adapter.request.type=FETCH_SOCKETS}").Should().Be(2);
        metrics.Sum("socketio.adapter.requests{socketio.adapter.request.type=SERVER_SIDE_EMIT}").Should().Be(1);
        metrics.Sum("socketio.adapter.request.timeouts{socketio.adapter.request.type=FETCH_SOCKETS}").Should().Be(1);
    }

    [Fact]
    public async Task Nothing_is_recorded_while_no_listener_collects()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();
        server.Io.Emit("news", 1);
        (await client.ReceiveTextAsync()).Should().Be("42[\"news\",1]");

        // Counters only start counting when a listener subscribes: what happened before is not in them.
        using var metrics = new MetricRecorder(server);
        metrics.Sum("socketio.packets.sent").Should().Be(0);
        metrics.Sum("engineio.handshakes{engineio.transport=websocket}").Should().Be(0);
        // The gauges are read when collected, so they are right whenever a listener arrives.
        metrics.Observe("socketio.sockets{socketio.namespace=/}").Should().Be(1);
    }

    /// <summary>A stand-in for a multi-node adapter: it only reports its requests.</summary>
    private sealed class RequestingAdapter(SocketIoNamespace nsp) : SocketIoAdapter(nsp)
    {
        public void Request(string type, bool timesOut)
        {
            RecordRequest(type);
            if (timesOut) RecordRequestTimeout(type);
        }

        public override void AddAll(string socketId, IEnumerable<string> rooms) { }

        public override void Delete(string socketId, string room) { }

        public override void DeleteAll(string socketId) { }

        public override IReadOnlySet<string> SocketRooms(string socketId) => new HashSet<string>();

        public override IReadOnlyCollection<string> Rooms => [];

        public override IReadOnlyList<string> SocketIds(BroadcastOptions options) => [];
    }
}
