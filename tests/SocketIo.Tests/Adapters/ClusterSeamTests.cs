using SocketIo.Adapters;
using SocketIo.Tests.Integration;

namespace SocketIo.Tests.Adapters;

/// <summary>
/// The adapter seam as a third-party multi-node adapter uses it, with public members only: two in-process servers
/// joined by a fake bus that hands every cluster-wide operation to the other node.
/// </summary>
public sealed class ClusterSeamTests : IAsyncLifetime
{
    private readonly FakeBus _bus = new();
    private TestServer _a = null!;
    private TestServer _b = null!;
    private RawClient _clientA = null!;
    private RawClient _clientB = null!;
    private string _idB = null!;

    public async Task InitializeAsync()
    {
        _a = await TestServer.StartAsync(options: o => o.AdapterFactory = nsp => new FakeBusAdapter(nsp, _bus));
        _b = await TestServer.StartAsync(options: o => o.AdapterFactory = nsp => new FakeBusAdapter(nsp, _bus));
        _clientA = await RawClient.ConnectAsync(_a);
        await _clientA.JoinAsync();
        _clientB = await RawClient.ConnectAsync(_b);
        _idB = await _clientB.JoinAsync();
    }

    public async Task DisposeAsync()
    {
        await _clientA.DisposeAsync();
        await _clientB.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Broadcasts_reach_the_other_node_unless_local()
    {
        _a.Io.Local.Emit("local");
        _a.Io.Emit("all", 1);

        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"local\"]");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"all\",1]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"all\",1]", "the local broadcast stayed on node A");
    }

    [Fact]
    public async Task A_broadcast_with_acks_waits_for_every_node_and_every_client()
    {
        (await _a.Io.ServerCountAsync().WaitAsync(TestServer.Timeout)).Should().Be(2);
        var pending = _a.Io.Timeout(TestServer.Timeout).EmitWithAckAsync<string>("question");

        await _clientB.AnswerAsync("question", "\"b\"");
        pending.IsCompleted.Should().BeFalse("node A's client has not answered yet");
        await _clientA.AnswerAsync("question", "\"a\"");

        (await pending.WaitAsync(TestServer.Timeout)).Should().BeEquivalentTo(["a", "b"]);
    }

    [Fact]
    public async Task Fetched_remote_sockets_can_be_reached_through_the_adapter()
    {
        _b.Socket(_idB).Data = "bob";

        var sockets = await _a.Io.FetchSocketsAsync().AsTask().WaitAsync(TestServer.Timeout);
        var remote = sockets.Single(s => s.Id == _idB);

        remote.IsLocal.Should().BeFalse();
        remote.Data.Should().Be("bob");
        remote.Emit("direct", 2);
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"direct\",2]");
        await remote.JoinAsync("vip").WaitAsync(TestServer.Timeout);
        _b.Socket(_idB).Rooms.Should().Contain("vip");
    }

    [Fact]
    public async Task Server_side_events_are_answered_by_the_other_nodes()
    {
        _b.Io.OnServerSideEvent("double", args => Task.FromResult<object?>(args.Get<int>() * 2));

        var answers = await _a.Io.ServerSideEmitWithAckAsync("double", [4]).WaitAsync(TestServer.Timeout);

        answers.Select(a => a.Get<int>()).Should().Equal(8);
    }

    private sealed class FakeBus
    {
        public List<FakeBusAdapter> Nodes { get; } = [];
    }

    /// <summary>A multi-node adapter in the shape a third party writes one, over an in-process "bus".</summary>
    private sealed class FakeBusAdapter : InMemoryAdapter
    {
        private readonly FakeBus _bus;

        public FakeBusAdapter(SocketIoNamespace nsp, FakeBus bus)
            : base(nsp)
        {
            _bus = bus;
            lock (bus) bus.Nodes.Add(this);
        }

        private FakeBusAdapter[] Others
        {
            get
            {
                lock (_bus) return _bus.Nodes.Where(n => n != this && n.Namespace.Name == Namespace.Name).ToArray();
            }
        }

        public override void Broadcast(AdapterPacket packet, BroadcastOptions options)
        {
            if (!options.Local)
            {
                // What a real adapter would send and decode: the JSON payload and the attachments.
                foreach (var other in Others) other.DeliverRemote(new AdapterPacket(packet.Namespace, packet.Data.ToArray(), packet.Attachments), options);
            }
            base.Broadcast(packet, options);
        }

        private void DeliverRemote(AdapterPacket packet, BroadcastOptions options) => base.Broadcast(packet, options with { Local = true });

        public override void BroadcastWithAck(AdapterPacket packet, BroadcastOptions options, Action<int> clientCount, Action<SocketIoArguments?> ack, CancellationToken expired)
        {
            if (!options.Local)
            {
                // Without the ack id: the receiving node numbers its own.
                foreach (var other in Others) other.DeliverRemoteWithAck(new AdapterPacket(packet.Namespace, packet.Data.ToArray(), packet.Attachments), options, clientCount, ack, expired);
            }
            base.BroadcastWithAck(packet, options, clientCount, ack, expired);
        }

        private void DeliverRemoteWithAck(AdapterPacket packet, BroadcastOptions options, Action<int> clientCount, Action<SocketIoArguments?> ack, CancellationToken expired) =>
            base.BroadcastWithAck(packet, options with { Local = true }, clientCount, ack, expired);

        public override async ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
        {
            var sockets = new List<RemoteSocket>(await base.FetchSocketsAsync(options, cancellationToken));
            if (options.Local) return sockets;
            foreach (var other in Others)
            {
                foreach (var socket in await other.FetchLocalAsync(options))
                    sockets.Add(new RemoteSocket(Namespace, socket.Id, socket.Handshake, socket.Rooms, socket.Data));
            }
            return sockets;
        }

        private ValueTask<IReadOnlyList<RemoteSocket>> FetchLocalAsync(BroadcastOptions options) => base.FetchSocketsAsync(options with { Local = true });

        public override async ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
        {
            await base.AddSocketsAsync(options, rooms, cancellationToken);
            if (options.Local) return;
            foreach (var other in Others) await other.AddLocalAsync(options, rooms);
        }

        private ValueTask AddLocalAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) => base.AddSocketsAsync(options with { Local = true }, rooms);

        public override async Task<IReadOnlyList<SocketIoArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var (json, attachments) = SerializeArguments(null, args);
            var answers = new List<SocketIoArguments>();
            foreach (var other in Others)
            {
                if (!other.Handle(eventName, json, attachments, out var answer)) continue;
                var value = await answer.WaitAsync(timeout, cancellationToken);
                var (answerJson, answerAttachments) = SerializeArguments(null, [value]);
                answers.Add(CreateArguments(answerJson, answerAttachments));
            }
            return answers;
        }

        private bool Handle(string eventName, byte[] json, IReadOnlyList<ReadOnlyMemory<byte>> attachments, out Task<object?> answer) =>
            TryHandleServerSideEvent(eventName, CreateArguments(json, attachments), out answer);

        public override ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Others.Length + 1);
    }
}
