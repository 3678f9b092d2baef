using System.Collections.Concurrent;
using SocketIo.Adapters.Cluster;
using SocketIo.Tests.Integration;

namespace SocketIo.Tests.Adapters.Cluster;

/// <summary>
/// <see cref="ClusterAdapterWithHeartbeat"/> over an in-process bus that carries the encoded bytes (so the codec is on
/// the path): node discovery, cross-node broadcasts and requests, and a node that dies without a word.
/// </summary>
public sealed class ClusterAdapterWithHeartbeatTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    /// <summary>A bus: every published message reaches every attached adapter; responses reach their addressee.</summary>
    private sealed class Bus
    {
        public ConcurrentDictionary<string, BusAdapter> Nodes { get; } = new();

        public void Publish(byte[] bytes)
        {
            foreach (var node in Nodes.Values) node.Receive(bytes, response: false);
        }

        public void PublishResponse(string uid, byte[] bytes)
        {
            if (Nodes.TryGetValue(uid, out var node)) node.Receive(bytes, response: true);
        }
    }

    private sealed class BusAdapter : ClusterAdapterWithHeartbeat
    {
        private readonly Bus _bus;

        public BusAdapter(SocketIoNamespace @namespace, Bus bus)
            : base(@namespace, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400))
        {
            _bus = bus;
            bus.Nodes[Uid] = this;
            Init();
        }

        /// <summary>Leaves the bus without ADAPTER_CLOSE, as a node killed with kill -9.</summary>
        public void Die()
        {
            _bus.Nodes.TryRemove(Uid, out _);
            Dispose();
        }

        public void Receive(byte[] bytes, bool response)
        {
            var message = ClusterMessage.TryDecode(bytes);
            if (message is null) return;
            // Asynchronous delivery, in order per publisher is not needed by these tests.
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (response) OnResponse(message);
                else OnMessage(message);
            });
        }

        protected override Task<string?> PublishAsync(ClusterMessage message)
        {
            if (_bus.Nodes.ContainsKey(Uid)) _bus.Publish(message.Encode());
            return Task.FromResult<string?>(null);
        }

        protected override Task PublishResponseAsync(string requesterUid, ClusterMessage response)
        {
            if (_bus.Nodes.ContainsKey(Uid)) _bus.PublishResponse(requesterUid, response.Encode());
            return Task.CompletedTask;
        }
    }

    private static async Task<(TestServer Server, BusAdapter Adapter)> StartNodeAsync(Bus bus)
    {
        var server = await TestServer.StartAsync(options: o => o.AdapterFactory = nsp => new BusAdapter(nsp, bus));
        return (server, (BusAdapter)server.Io.MainNamespace.Adapter);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Nodes_find_each_other_by_heartbeat_and_share_broadcasts_and_server_side_events()
    {
        var bus = new Bus();
        var (a, adapterA) = await StartNodeAsync(bus);
        await using var _a = a;
        var (b, adapterB) = await StartNodeAsync(bus);
        await using var _b = b;
        await using var client = await RawClient.ConnectAsync(b);
        await client.JoinAsync();

        await WaitUntilAsync(() => adapterA.Nodes.Contains(adapterB.Uid) && adapterB.Nodes.Contains(adapterA.Uid), "both nodes know each other");
        (await a.Io.ServerCountAsync().WaitAsync(Timeout)).Should().Be(2);

        a.Io.Emit("hello", 1, new byte[] { 7 });
        (await client.ReceiveTextAsync()).Should().Be("451-[\"hello\",1,{\"_placeholder\":true,\"num\":0}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(7);

        b.Io.OnServerSideEvent("ask", args => Task.FromResult<object?>(args.Get<int>() + 1));
        var answers = await a.Io.ServerSideEmitWithAckAsync("ask", [41]).WaitAsync(Timeout);
        answers.Select(x => x.Get<int>()).Should().Equal(42);

        var sockets = await a.Io.FetchSocketsAsync().AsTask().WaitAsync(Timeout);
        sockets.Should().ContainSingle().Which.IsLocal.Should().BeFalse();
    }

    [Fact]
    public async Task A_node_that_dies_silently_is_dropped_after_the_heartbeat_timeout_and_requests_end_with_the_answers_received()
    {
        var bus = new Bus();
        var (a, adapterA) = await StartNodeAsync(bus);
        await using var _a = a;
        var (b, adapterB) = await StartNodeAsync(bus);
        await using var _b = b;
        var (c, adapterC) = await StartNodeAsync(bus);
        await using var _c = c;
        await WaitUntilAsync(() => adapterA.Nodes.Count == 2, "node A knows B and C");
        b.Io.OnServerSideEvent("ask", _ => Task.FromResult<object?>("from-b"));
        c.Io.OnServerSideEvent("ask", _ => Task.FromResult<object?>("from-c"));

        adapterC.Die();
        var started = DateTime.UtcNow;
        // The request's own timeout is long: it ends early because C is dropped (400 ms without a heartbeat).
        var answers = await a.Io.ServerSideEmitWithAckAsync("ask", [], TimeSpan.FromSeconds(30)).WaitAsync(Timeout);

        answers.Select(x => x.Get<string>()).Should().Equal("from-b");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
        adapterA.Nodes.Should().BeEquivalentTo([adapterB.Uid]);
        (await a.Io.ServerCountAsync().WaitAsync(Timeout)).Should().Be(2);
    }

    [Fact]
    public async Task A_node_that_closes_says_so_and_leaves_at_once()
    {
        var bus = new Bus();
        var (a, adapterA) = await StartNodeAsync(bus);
        await using var _a = a;
        var (b, adapterB) = await StartNodeAsync(bus);
        await WaitUntilAsync(() => adapterA.Nodes.Contains(adapterB.Uid), "node A knows B");

        await adapterB.CloseAsync();

        await WaitUntilAsync(() => adapterA.Nodes.Count == 0, "node A forgot B after its ADAPTER_CLOSE");
        await b.DisposeAsync();
    }
}
