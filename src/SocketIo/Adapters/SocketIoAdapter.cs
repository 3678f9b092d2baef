using EngineIo;
using SocketIo.Internal;
using SocketIo.Internal.Protocol;

namespace SocketIo.Adapters;

/// <summary>
/// Keeps track of the rooms of one namespace and delivers broadcasts. The default keeps everything in memory on
/// this node; a multi-node adapter also forwards broadcasts and room operations to the other nodes.
/// </summary>
public abstract class SocketIoAdapter
{
    // Above this many recipients, a broadcast starts each socket write on the thread pool instead of writing
    // inline: one thread writing to a thousand sockets was the bottleneck of a large room (measured in
    // bench/results), while for small rooms the extra hop per write cost more than it saved.
    private const int InlineWriteLimit = 128;

    /// <summary>Creates an adapter for <paramref name="namespace"/>.</summary>
    protected SocketIoAdapter(SocketIoNamespace @namespace)
    {
        Namespace = @namespace;
    }

    /// <summary>The namespace whose rooms this adapter keeps.</summary>
    public SocketIoNamespace Namespace { get; }

    /// <summary>Adds a socket to rooms.</summary>
    public abstract void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a socket from a room.</summary>
    public abstract void Delete(string socketId, string room);

    /// <summary>Removes a socket from every room.</summary>
    public abstract void DeleteAll(string socketId);

    /// <summary>The rooms a socket is in (a snapshot), or an empty set.</summary>
    public abstract IReadOnlySet<string> SocketRooms(string socketId);

    /// <summary>The rooms that have at least one socket (a snapshot).</summary>
    public abstract IReadOnlyCollection<string> Rooms { get; }

    /// <summary>The ids of the local sockets a broadcast with <paramref name="options"/> reaches.</summary>
    public abstract IReadOnlyList<string> SocketIds(BroadcastOptions options);

    /// <summary>
    /// Sends a packet to the matching sockets. It is encoded once; the same bytes go to every recipient. An adapter
    /// with connection state recovery also gives it an offset and keeps it.
    /// </summary>
    internal virtual void Broadcast(SocketIoPacket packet, BroadcastOptions options, Action<SocketIoSocket>? onRecipient = null) =>
        Deliver(Namespace.Server.Parser.Encode(packet), options, onRecipient);

    // ---- Cluster-wide operations ----------------------------------------------------------------------------
    // Every server API reaches the adapter through these. The defaults act on this node only; a multi-node adapter
    // overrides them to reach the other nodes too, and calls the base to act locally.

    /// <summary>
    /// Sends an event packet to the matching sockets: this node's, and (in a multi-node adapter, unless
    /// <see cref="BroadcastOptions.Local"/>) the other nodes'. The default delivers it locally, encoded once.
    /// </summary>
    public virtual void Broadcast(AdapterPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        Broadcast(packet.Packet, options);
    }

    /// <summary>
    /// Sends an event packet expecting acknowledgements to the matching sockets (a packet without
    /// <see cref="AdapterPacket.AckId"/>, received from another node, gets one of this node's ids). Each node that took part calls <paramref name="clientCount"/> once with how many clients it sent
    /// the packet to (zero included); every client answer goes to <paramref name="ack"/>, and a local recipient that
    /// disconnects before answering is reported as a null answer. Once <paramref name="expired"/> is cancelled the
    /// caller has stopped waiting, and pending acknowledgements can be dropped. The default acts on this node.
    /// </summary>
    public virtual void BroadcastWithAck(AdapterPacket packet, BroadcastOptions options, Action<int> clientCount, Action<SocketIoArguments?> ack, CancellationToken expired)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clientCount);
        ArgumentNullException.ThrowIfNull(ack);
        // A packet from another node comes without an id: as in the reference, each node numbers its own.
        var id = packet.AckId ?? Namespace.NextAckId();
        if (packet.AckId is null) packet = new AdapterPacket(packet.Namespace, packet.Data, packet.Attachments, id);
        var recipients = new List<SocketIoSocket>();
        Broadcast(packet.Packet, options, socket =>
        {
            recipients.Add(socket);
            socket.RegisterAck(id, ack);
        });
        clientCount(recipients.Count);
        if (recipients.Count > 0 && expired.CanBeCanceled)
        {
            expired.Register(() =>
            {
                foreach (var socket in recipients) socket.RemoveAck(id);
            });
        }
    }

    /// <summary>The sockets a broadcast with <paramref name="options"/> reaches, on every node. The default returns this node's.</summary>
    public virtual ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ids = SocketIds(options);
        var sockets = new List<RemoteSocket>(ids.Count);
        foreach (var id in ids)
        {
            if (Namespace.TryGetSocket(id, out var socket)) sockets.Add(new RemoteSocket(socket));
        }
        return ValueTask.FromResult<IReadOnlyList<RemoteSocket>>(sockets);
    }

    /// <summary>Makes the matching sockets join <paramref name="rooms"/>, on every node. The default acts on this node.</summary>
    public virtual ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        foreach (var id in SocketIds(options)) AddAll(id, rooms);
        return ValueTask.CompletedTask;
    }

    /// <summary>Makes the matching sockets leave <paramref name="rooms"/>, on every node. The default acts on this node.</summary>
    public virtual ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        foreach (var id in SocketIds(options))
        {
            foreach (var room in rooms) Delete(id, room);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Disconnects the matching sockets, on every node; with <paramref name="close"/>, closes their whole
    /// connection. The default acts on this node.
    /// </summary>
    public virtual ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var id in SocketIds(options))
        {
            if (Namespace.TryGetSocket(id, out var socket)) socket.Disconnect(close);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends an event to this namespace on the other server nodes, whose handlers registered with
    /// <see cref="SocketIoNamespace.OnServerSideEvent(string, Func{SocketIoArguments, Task{object}})"/> receive it.
    /// The default has no other node and does nothing.
    /// </summary>
    public virtual ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Sends an event to this namespace on the other server nodes and collects each node's answer (one value,
    /// as an argument list of one). When some node does not answer within <paramref name="timeout"/>, throws
    /// <see cref="SocketIoAckTimeoutException"/> with the answers received. The default has no other node.
    /// </summary>
    public virtual Task<IReadOnlyList<SocketIoArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SocketIoArguments>>([]);

    /// <summary>How many server nodes share this namespace, this one included. The default is 1.</summary>
    public virtual ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(1);

    /// <summary>Stops the adapter when the server closes (a multi-node adapter unsubscribes). The default does nothing.</summary>
    public virtual ValueTask CloseAsync() => ValueTask.CompletedTask;

    // ---- Helpers for adapters -------------------------------------------------------------------------------

    /// <summary>
    /// Runs this node's handler of a server-side event another node sent. Returns false when no handler is
    /// registered (the reference then never answers). Otherwise <paramref name="answer"/> completes with the value
    /// the handler answered.
    /// </summary>
    protected bool TryHandleServerSideEvent(string eventName, SocketIoArguments args, out Task<object?> answer) =>
        Namespace.TryHandleServerSideEvent(eventName, args, out answer);

    /// <summary>Arguments read from a UTF-8 JSON array (binary values as placeholders into <paramref name="attachments"/>).</summary>
    protected SocketIoArguments CreateArguments(ReadOnlyMemory<byte> jsonArray, IReadOnlyList<ReadOnlyMemory<byte>> attachments) =>
        SocketIoArguments.Parse(jsonArray, 0, attachments, Namespace.Server.Serializer);

    /// <summary>
    /// Serializes values the way events are: a UTF-8 JSON array (with <paramref name="eventName"/> first when given),
    /// binary values as placeholders into the returned attachments.
    /// </summary>
    protected (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) SerializeArguments(string? eventName, object?[] args) =>
        Namespace.Server.Serializer.SerializeArray(eventName, args);

    /// <summary>Writes an encoded packet to the matching local sockets.</summary>
    internal void Deliver(EngineMessage[] messages, BroadcastOptions options, Action<SocketIoSocket>? onRecipient)
    {
        var ids = SocketIds(options);
        // A large broadcast only queues to each recipient and lets the thread pool run the writes in parallel. The
        // packets of each socket stay in order: they are queued here, in order, whichever thread writes them.
        var deferWrites = ids.Count > InlineWriteLimit;
        int delivered = 0, dropped = 0;
        foreach (var id in ids)
        {
            if (!Namespace.TryGetSocket(id, out var socket)) continue;
            onRecipient?.Invoke(socket);
            if (socket.Client.TrySend(messages, options.Volatile, options.Compress, deferWrites)) delivered++;
            else dropped++;
        }
        // Counted once for the whole fan-out, not per recipient.
        var metrics = Namespace.Server.Metrics;
        metrics.Broadcast(Namespace.Name);
        metrics.PacketsSent(delivered, messages);
        metrics.PacketsDropped(dropped, SocketIoMetrics.VolatileDrop);
    }

    // ---- Connection state recovery ---------------------------------------------------------------------------

    /// <summary>
    /// Keeps the session of a socket whose connection dropped, for its client to resume it. Called only with
    /// connection state recovery on. The default keeps nothing.
    /// </summary>
    public virtual void PersistSession(PersistedSession session)
    {
    }

    /// <summary>
    /// Finds the session of <paramref name="privateId"/> and the events sent to it after <paramref name="offset"/>
    /// (the last one its client processed). Returns null, and the client gets a new session, when the session is
    /// unknown or expired or the events after the offset are no longer all known. The default knows no session.
    /// </summary>
    public virtual ValueTask<RestoredSession?> RestoreSessionAsync(string privateId, string offset, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<RestoredSession?>(null);

    /// <summary>The size and counters of this adapter's recovery store; null when it keeps none.</summary>
    public virtual ConnectionStateRecoveryStatistics? RecoveryStatistics => null;

    /// <summary>
    /// Connects a socket that resumed <paramref name="restored"/>: joins its rooms, answers CONNECT, then writes the
    /// events it missed, before anything sent to it later.
    /// </summary>
    internal virtual void ConnectRestored(SocketIoSocket socket, RestoredSession restored, ReadOnlyMemory<byte> connectReply)
    {
        socket.OnConnect(connectReply, restored.Session.Rooms);
        foreach (var packet in restored.MissedPackets) socket.Client.Send(packet.Messages, isVolatile: false, packet.Compress);
    }

    // ---- Metrics for multi-node adapters ---------------------------------------------------------------------

    /// <summary>
    /// Counts a request this adapter sent to the other nodes (the <c>socketio.adapter.requests</c> instrument,
    /// tagged with <paramref name="requestType"/>, such as <c>FETCH_SOCKETS</c> or <c>SERVER_SIDE_EMIT</c>). For
    /// multi-node adapters; nothing is recorded while no listener collects.
    /// </summary>
    protected void RecordRequest(string requestType) => Namespace.Server.Metrics.AdapterRequest(requestType);

    /// <summary>
    /// Counts a request that the other nodes did not all answer in time (the
    /// <c>socketio.adapter.request.timeouts</c> instrument, tagged with <paramref name="requestType"/>).
    /// </summary>
    protected void RecordRequestTimeout(string requestType) => Namespace.Server.Metrics.AdapterRequestTimedOut(requestType);

}
