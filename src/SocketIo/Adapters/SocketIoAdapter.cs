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

    /// <summary>The local sockets a broadcast with <paramref name="options"/> reaches.</summary>
    public virtual ValueTask<IReadOnlyList<SocketIoSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var ids = SocketIds(options);
        var sockets = new List<SocketIoSocket>(ids.Count);
        foreach (var id in ids)
        {
            if (Namespace.TryGetSocket(id, out var socket)) sockets.Add(socket);
        }
        return ValueTask.FromResult<IReadOnlyList<SocketIoSocket>>(sockets);
    }

    /// <summary>Makes the matching sockets join <paramref name="rooms"/>.</summary>
    public virtual void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var id in SocketIds(options)) AddAll(id, rooms);
    }

    /// <summary>Makes the matching sockets leave <paramref name="rooms"/>.</summary>
    public virtual void DeleteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var id in SocketIds(options))
        {
            foreach (var room in rooms) Delete(id, room);
        }
    }

    /// <summary>Disconnects the matching sockets; with <paramref name="close"/>, closes their whole connection.</summary>
    public virtual void DisconnectSockets(BroadcastOptions options, bool close)
    {
        foreach (var id in SocketIds(options))
        {
            if (Namespace.TryGetSocket(id, out var socket)) socket.Disconnect(close);
        }
    }

    /// <summary>
    /// Sends a packet to the matching sockets. It is encoded once; the same bytes go to every recipient. An adapter
    /// with connection state recovery also gives it an offset and keeps it.
    /// </summary>
    internal virtual void Broadcast(SocketIoPacket packet, BroadcastOptions options, Action<SocketIoSocket>? onRecipient = null) =>
        Deliver(Namespace.Server.Parser.Encode(packet), options, onRecipient);

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

    /// <summary>Sends an event to the other server nodes (none with the in-memory adapter).</summary>
    public virtual void ServerSideEmit(string eventName, object?[] args)
    {
    }
}
