using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using EngineIo;

namespace SocketIo.Tests.Integration;

/// <summary>
/// The public hooks observers such as the admin UI use: the adapter's room events, the socket's data changes, the
/// namespace's SocketConnected, the server's NamespaceCreated, and the engine's session events and transport counts.
/// </summary>
public sealed class ObservationHookTests
{
    [Fact]
    public async Task The_adapter_reports_rooms_entered_and_left_once_each_including_the_own_room_and_every_room_at_disconnect()
    {
        var events = new BlockingCollection<string>();
        await using var server = await TestServer.StartAsync(io =>
        {
            io.MainNamespace.Adapter.RoomJoined += (room, id) => events.Add($"join {room} {id}");
            io.MainNamespace.Adapter.RoomLeft += (room, id) => events.Add($"leave {room} {id}");
        });
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        var socket = server.Socket(sid);

        socket.Join("a");
        socket.Join("a"); // already in: no second event
        socket.Leave("a");
        socket.Leave("a"); // not in any more: no event
        socket.Join(["b", "c"]);
        socket.Disconnect();

        var seen = Enumerable.Range(0, 8).Select(_ => Take(events)).ToList();
        seen.Take(5).Should().Equal($"join {sid} {sid}", $"join a {sid}", $"leave a {sid}", $"join b {sid}", $"join c {sid}");
        seen.Skip(5).Should().BeEquivalentTo($"leave {sid} {sid}", $"leave b {sid}", $"leave c {sid}");
        events.TryTake(out var extra, 200).Should().BeFalse($"nothing else is reported (got {extra})");
    }

    [Fact]
    public async Task Assigning_data_or_notifying_raises_DataChanged()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var socket = server.Socket(await client.JoinAsync());
        var changes = 0;
        socket.DataChanged += s => changes++;

        socket.Data = new Dictionary<string, int> { ["n"] = 1 };
        ((Dictionary<string, int>)socket.Data)["n"] = 2; // in place: not seen
        socket.NotifyDataChanged();

        changes.Should().Be(2);
    }

    [Fact]
    public async Task SocketConnected_runs_before_the_connection_handlers_and_NamespaceCreated_reports_static_and_dynamic_namespaces()
    {
        var order = new ConcurrentQueue<string>();
        var created = new ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(io =>
        {
            io.NamespaceCreated += nsp =>
            {
                created.Enqueue(nsp.Name);
                nsp.SocketConnected += s => order.Enqueue("observer " + s.Namespace.Name);
            };
            io.Of("/static");
            io.Of(new Regex("^/dyn-")).OnConnection(s => order.Enqueue("handler " + s.Namespace.Name));
        });
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync("/dyn-1");
        await WaitUntilAsync(() => order.Count == 2);

        created.Should().Equal("/static", "/dyn-1");
        order.Should().Equal("observer /dyn-1", "handler /dyn-1");
    }

    [Fact]
    public async Task The_engine_reports_sessions_opened_and_closed_and_counts_them_by_transport()
    {
        var opened = new TaskCompletionSource<(EngineSession Session, (int, int) Counts)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var closes = new ConcurrentDictionary<string, EngineCloseReason>();
        await using var server = await TestServer.StartAsync(io =>
        {
            // Counted inside the event: the session is registered by then, and a polling session nobody polls does not
            // live long with the test server's short heartbeat.
            io.Engine.SessionOpened += s => opened.TrySetResult((s, io.Engine.CountByTransport()));
            io.Engine.SessionClosed += (s, reason) => closes[s.Id] = reason;
        });
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var handshake = await http.GetStringAsync("/socket.io/?EIO=4&transport=polling").WaitAsync(TestServer.Timeout);
        var (session, counts) = await opened.Task.WaitAsync(TestServer.Timeout);
        session.TransportName.Should().Be("polling");
        handshake.Should().Contain(session.Id);
        counts.Should().Be((1, 0));

        await using var client = await RawClient.ConnectAsync(server);
        var webSocketSession = server.Socket(await client.JoinAsync()).Connection.Id;
        server.Io.Engine.CountByTransport().WebSocket.Should().Be(1);

        await client.CloseAsync();
        await WaitUntilAsync(() => closes.ContainsKey(webSocketSession));
        closes[webSocketSession].Should().Be(EngineCloseReason.TransportClose);
        server.Io.Engine.CountByTransport().WebSocket.Should().Be(0);
    }

    private static string Take(BlockingCollection<string> events) =>
        events.TryTake(out var item, TestServer.Timeout) ? item : throw new TimeoutException("no room event");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestServer.Timeout);
        while (!condition()) await Task.Delay(10, timeout.Token);
    }
}
