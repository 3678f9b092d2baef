using System.Diagnostics;
using System.Net.Http;
using EngineIo;

namespace SocketIo.Tests.Integration;

/// <summary>
/// Slow consumers (issue 12): a client that stops reading costs the server a bounded amount of memory, is cut off with
/// its own reason, and takes nothing from the other members of its rooms; its TCP connection is closed, not left to a
/// flush that never ends.
/// </summary>
public sealed class SlowConsumerTests
{
    private const long Cap = 1 << 20;
    private static readonly string Payload = new('x', 1000);

    // A long heartbeat: the cap, not a ping timeout of the client that reads nothing, must be what ends it.
    private static void QuietHeartbeat(SocketIoOptions options)
    {
        options.MaxQueuedBytes = Cap;
        options.PingInterval = TimeSpan.FromSeconds(20);
        options.PingTimeout = TimeSpan.FromSeconds(20);
    }

    private static void JoinRoom(SocketIoServer io) =>
        io.OnConnection(s => s.On("join", e =>
        {
            s.Join("room");
            e.Ack?.Send();
        }));

    private static async Task<RawClient> ReaderAsync(TestServer server)
    {
        var reader = await RawClient.ConnectAsync(server);
        await reader.JoinAsync();
        await reader.SendAsync("420[\"join\"]");
        (await reader.ReceiveTextAsync()).Should().Be("430[]");
        return reader;
    }

    private static TaskCompletionSource<DisconnectReason> WatchDisconnect(SocketIoSocket socket)
    {
        var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.Disconnected += (_, r) => reason.TrySetResult(r);
        return reason;
    }

    /// <summary>Every "m" event a reader got must be there, in order: 0, 1, 2, ... up to <paramref name="count"/>.</summary>
    private static async Task ExpectAllAsync(RawClient reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var text = await reader.ReceiveTextAsync();
            text.Should().StartWith($"42[\"m\",{i},", "a room member that reads must get every message, in order");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_websocket_client_that_stops_reading_is_cut_at_the_cap_and_the_room_keeps_receiving(bool directWebSockets)
    {
        await using var server = await TestServer.StartAsync(JoinRoom, QuietHeartbeat, directWebSockets: directWebSockets);
        await using var reader1 = await ReaderAsync(server);
        await using var reader2 = await ReaderAsync(server);
        await using var stalled = await StalledClient.ConnectAsync(server, "join");
        var socket = server.Socket(stalled.Sid);
        var cut = WatchDisconnect(socket);

        // About 2 MB/s to the room until the stalled client is cut (the kernel and Kestrel take some megabytes first).
        var sent = 0;
        long maxQueued = 0;
        var clock = Stopwatch.StartNew();
        while (!cut.Task.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            for (var i = 0; i < 20; i++) server.Io.To("room").Emit("m", sent++, Payload);
            maxQueued = Math.Max(maxQueued, socket.Connection.QueuedBytes);
            await Task.Delay(10);
        }

        cut.Task.IsCompleted.Should().BeTrue("a client that reads nothing must be cut off once its queue passes the cap");
        (await cut.Task).Should().Be(DisconnectReason.SlowConsumer);
        DisconnectReason.SlowConsumer.ToProtocolString().Should().Be("slow consumer");
        maxQueued.Should().BeLessThanOrEqualTo(Cap);
        server.Io.Engine.Statistics.SlowConsumerCloses.Should().Be(1);
        (await stalled.WaitNotEstablishedAsync(TimeSpan.FromSeconds(5))).Should().BeTrue("the cut client's TCP connection must be closed, not left flushing");

        // The room goes on without it, and its readers got and get everything.
        for (var i = 0; i < 100; i++) server.Io.To("room").Emit("m", sent++, Payload);
        await Task.WhenAll(ExpectAllAsync(reader1, sent), ExpectAllAsync(reader2, sent));
    }

    [Fact]
    public async Task A_polling_client_that_stops_fetching_is_cut_at_the_cap()
    {
        await using var server = await TestServer.StartAsync(JoinRoom, QuietHeartbeat);
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestServer.Timeout };
        var open = await http.GetStringAsync("/socket.io/?EIO=4&transport=polling");
        var sid = open[(open.IndexOf("\"sid\":\"", StringComparison.Ordinal) + 7)..][..20];
        var path = $"/socket.io/?EIO=4&transport=polling&sid={sid}";
        (await (await http.PostAsync(path, new StringContent("40"))).Content.ReadAsStringAsync()).Should().Be("ok");
        var connect = await http.GetStringAsync(path);
        connect.Should().StartWith("40{\"sid\":\"");
        var socket = server.Socket(connect[10..connect.IndexOf('"', 10)]);
        var cut = WatchDisconnect(socket);
        (await (await http.PostAsync(path, new StringContent("420[\"join\"]"))).Content.ReadAsStringAsync()).Should().Be("ok");
        (await http.GetStringAsync(path)).Should().Be("430[]");

        // No GET from now on: everything queues in the session.
        var sent = 0;
        long maxQueued = 0;
        var clock = Stopwatch.StartNew();
        while (!cut.Task.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            for (var i = 0; i < 20; i++) server.Io.To("room").Emit("m", sent++, Payload);
            maxQueued = Math.Max(maxQueued, socket.Connection.QueuedBytes);
            await Task.Delay(10);
        }
        cut.Task.IsCompleted.Should().BeTrue();
        (await cut.Task).Should().Be(DisconnectReason.SlowConsumer);
        maxQueued.Should().BeLessThanOrEqualTo(Cap);
    }

    [Fact]
    public async Task Volatile_packets_to_a_client_over_half_the_cap_are_dropped_and_counted()
    {
        await using var server = await TestServer.StartAsync(JoinRoom, QuietHeartbeat);
        await using var stalled = await StalledClient.ConnectAsync(server, "join");
        var socket = server.Socket(stalled.Sid);
        // Fill the stalled client's queue past half the cap (the writer is stuck behind what the kernel would not take).
        var clock = Stopwatch.StartNew();
        while (socket.Connection.QueuedBytes <= Cap / 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            for (var i = 0; i < 20; i++) socket.Emit("m", i, Payload);
            await Task.Delay(10);
        }
        socket.Connection.QueuedBytes.Should().BeGreaterThan(Cap / 2);
        var before = socket.Connection.QueuedBytes;
        var dropped = server.Io.Engine.Statistics.VolatileDropped;

        for (var i = 0; i < 10; i++) server.Io.To("room").Volatile.Emit("v", i);

        socket.Connection.QueuedBytes.Should().Be(before, "nothing volatile is queued past half the cap");
        server.Io.Engine.Statistics.VolatileDropped.Should().Be(dropped + 10);
        socket.Connected.Should().BeTrue("volatile packets are dropped, the client is not cut for them");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_stalled_longer_than_the_ping_timeout_closes_the_session_whatever_pongs_say(bool directWebSockets)
    {
        // No cap to speak of: only the stalled write can end this session. TestServer's ping timeout is 1 s.
        await using var server = await TestServer.StartAsync(options: o => o.MaxQueuedBytes = 1L << 40, directWebSockets: directWebSockets);
        await using var stalled = await StalledClient.ConnectAsync(server, "echo");
        var socket = server.Socket(stalled.Sid);
        var cut = WatchDisconnect(socket);
        using var stop = new CancellationTokenSource();
        // Blind pongs: the client answers pings it never read.
        var pongs = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await stalled.SendTextAsync("3");
                    await Task.Delay(100, stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
            }
        });

        // 16 MB: more than the kernel's buffers and Kestrel's pipe take, so the server's write stalls.
        var big = new string('y', 2_000_000);
        for (var i = 0; i < 8; i++) socket.Emit("big", big);

        (await cut.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(DisconnectReason.SlowConsumer);
        server.Io.Engine.Statistics.StalledWriteCloses.Should().Be(1);
        await stop.CancelAsync();
        await pongs;
        (await stalled.WaitNotEstablishedAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_session_closed_while_its_write_is_stuck_closes_its_tcp_connection(bool directWebSockets)
    {
        await using var server = await TestServer.StartAsync(options: o =>
        {
            o.MaxQueuedBytes = 1L << 40;
            o.PingInterval = TimeSpan.FromSeconds(20);
            o.PingTimeout = TimeSpan.FromSeconds(20);
        }, directWebSockets: directWebSockets);
        await using var stalled = await StalledClient.ConnectAsync(server, "echo");
        var socket = server.Socket(stalled.Sid);
        var big = new string('y', 2_000_000);
        for (var i = 0; i < 8; i++) socket.Emit("big", big);
        var clock = Stopwatch.StartNew();
        while (socket.Connection.CurrentTransport.WriteStalledSince == 0 && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);

        // Closed for any reason but a slow consumer: the close frame waits behind the stuck write for the close
        // handshake's 5 s, then the connection itself must be dropped.
        socket.Connection.CloseCore(EngineCloseReason.TransportError, "test");
        (await stalled.WaitNotEstablishedAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the TCP connection must be closed within a bound");
    }
}
