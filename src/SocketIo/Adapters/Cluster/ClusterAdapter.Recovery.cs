using System.Text.Json;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Recovery;

namespace SocketIo.Adapters.Cluster;

// Connection state recovery over a cluster log (socket.io-adapter 2.5's addOffsetIfNecessary): a logged broadcast's
// offset in the log is its packet id, appended as the last argument, and a client coming back to any node is given
// the logged broadcasts after its offset. Every node delivers logged broadcasts, its own included, in the order the
// log hands them back, one at a time under _logSync: so each socket sees increasing offsets, and a restored socket can
// be attached between two entries without missing or repeating one.
public abstract partial class ClusterAdapter
{
    // The logged broadcasts most recently delivered here, to catch up a restored socket on what was delivered between
    // the transport's read of the log and the moment the socket joined its rooms (normally a few entries).
    private const int RecentLogCapacity = 1024;

    private readonly object _logSync = new();
    private readonly Queue<StoredPacket> _recentLog = new();
    // Guarded by _logSync: the offset of the last entry of this namespace handled from the log, and of the newest
    // entry that left _recentLog.
    private string? _logPosition;
    private string? _lastForgotten;

    /// <summary>
    /// Whether this adapter recovers sessions from the transport's log: the transport logs broadcasts (see the
    /// constructor) and connection state recovery is on.
    /// </summary>
    protected bool RecoversFromLog { get; }

    /// <summary>
    /// Compares two offsets of the transport's log (negative when <paramref name="x"/> comes first). Transports that
    /// log broadcasts override it; the default throws.
    /// </summary>
    protected virtual int CompareOffsets(string x, string y) =>
        throw new NotSupportedException("A transport that logs broadcasts must say how its offsets compare.");

    /// <summary>
    /// Tells the adapter where the transport starts reading the log (the offset of its newest entry, or the log's
    /// smallest offset when empty): entries up to there will never be handed to <see cref="OnMessage"/>. Call it once,
    /// before handing any entry.
    /// </summary>
    protected void StartLogAt(string offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        lock (_logSync) _logPosition ??= offset;
    }

    /// <summary>
    /// Builds the restored session of <paramref name="session"/> from the log entries after the client's offset, in
    /// log order (the transport reads them; any entry may be passed, only this namespace's broadcasts the session was
    /// an audience of are kept). <paramref name="lastOffsetRead"/> is the offset of the last entry read, or the
    /// client's offset when there was none. The events are written to the socket when it connects, followed by those
    /// this node delivered since the read.
    /// </summary>
    protected RestoredSession RestoreFromLog(PersistedSession session, IEnumerable<ClusterLogEntry> entriesAfterOffset, string lastOffsetRead)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(entriesAfterOffset);
        ArgumentNullException.ThrowIfNull(lastOffsetRead);
        var missed = new List<StoredPacket>();
        foreach (var entry in entriesAfterOffset)
        {
            if (entry.Message.Namespace != Namespace.Name || !TryReadLoggedBroadcast(entry.Message, out var packet, out var options)) continue;
            if (!IsLoggedForRecovery(packet, options)) continue;
            var stored = Stamp(packet, options, entry.Offset);
            if (stored.IsFor(session.Rooms)) missed.Add(stored);
        }
        return new RestoredSession(session, missed, lastOffsetRead);
    }

    /// <summary>Whether a broadcast is logged with an offset: an event without acknowledgement, not volatile (as the reference's addOffsetIfNecessary).</summary>
    private static bool IsLoggedForRecovery(SocketIoPacket packet, BroadcastOptions options) => RecoveryStore.IsRecoverable(packet, options);

    private async Task PublishLoggedBroadcastAsync(ClusterMessage message, AdapterPacket packet, BroadcastOptions options)
    {
        try
        {
            OnPublishing(message);
            await PublishAsync(message).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            OnPublishFailed(message, exception);
            // As the reference: the local clients get it anyway, without an offset (it is in no log).
            DeliverUnlogged(packet, options);
        }
    }

    private void DeliverUnlogged(AdapterPacket packet, BroadcastOptions options) => base.Broadcast(packet, options with { Local = true });

    /// <summary>Handles an entry of the log; false when it is to be handled as any other message.</summary>
    private bool OnLoggedMessage(ClusterMessage message, string offset)
    {
        lock (_logSync)
        {
            _logPosition = offset;
            if (!TryReadLoggedBroadcast(message, out var packet, out var options) || !IsLoggedForRecovery(packet, options)) return false;
            var stored = Stamp(packet, options, offset);
            Deliver(stored.Messages, options, onRecipient: null);
            _recentLog.Enqueue(stored);
            if (_recentLog.Count > RecentLogCapacity) _lastForgotten = _recentLog.Dequeue().LogOffset;
            return true;
        }
    }

    /// <summary>A BROADCAST without acknowledgement: its packet and options; false for anything else.</summary>
    private bool TryReadLoggedBroadcast(ClusterMessage message, out SocketIoPacket packet, out BroadcastOptions options)
    {
        packet = null!;
        options = null!;
        if (message.Type != ClusterMessageType.Broadcast || !message.TryGetData(out var data) || data.TryGetProperty("requestId", out _)) return false;
        if (!data.TryGetProperty("packet", out var p) || p.ValueKind != JsonValueKind.Object
            || !p.TryGetProperty("data", out var packetData) || packetData.ValueKind != JsonValueKind.Array || packetData.GetArrayLength() == 0) return false;
        packet = new AdapterPacket(Namespace.Name, System.Text.Encoding.UTF8.GetBytes(packetData.GetRawText()), message.Attachments).Packet;
        options = ClusterJson.ReadOptions(data) with { Local = true };
        return true;
    }

    /// <summary>The packet with its offset appended, encoded once.</summary>
    private StoredPacket Stamp(SocketIoPacket packet, BroadcastOptions options, string offset)
    {
        var stamped = new SocketIoPacket(packet.Type, packet.Namespace, null, PacketOffset.AppendTo(packet.Data.Span, offset), packet.Attachments);
        return new StoredPacket(0, Namespace.Server.Parser.Encode(stamped), options.Compress, options.Rooms, options.Except, Namespace.Server.TimeProvider.GetUtcNow(), offset);
    }

    internal override void ConnectRestored(SocketIoSocket socket, RestoredSession restored, ReadOnlyMemory<byte> connectReply)
    {
        if (!RecoversFromLog || restored.LogPosition is not { } read)
        {
            base.ConnectRestored(socket, restored, connectReply);
            return;
        }
        // No logged entry is delivered meanwhile. The socket gets what it missed up to the entry this node handled last
        // (the later ones reach it through its rooms, when this node handles them), then what this node delivered
        // after the transport's read of the log.
        lock (_logSync)
        {
            socket.OnConnect(connectReply, restored.Session.Rooms);
            var position = _logPosition;
            foreach (var packet in restored.MissedPackets)
            {
                if (position is null || CompareOffsets(packet.LogOffset!, position) <= 0) socket.Client.Send(packet.Messages, isVolatile: false, packet.Compress);
            }
            if (position is null || CompareOffsets(position, read) <= 0) return;
            if (_lastForgotten is not null && CompareOffsets(_lastForgotten, read) > 0) Log.CatchUpIncomplete(Namespace.Server.Logger, Namespace.Name, socket.Id);
            foreach (var packet in _recentLog)
            {
                if (CompareOffsets(packet.LogOffset!, read) > 0 && packet.IsFor(restored.Session.Rooms))
                    socket.Client.Send(packet.Messages, isVolatile: false, packet.Compress);
            }
        }
    }
}

/// <summary>An entry of a cluster transport's log, read back to restore a session: its offset and its message.</summary>
public sealed class ClusterLogEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="offset">The entry's offset in the log (a Redis Streams entry id).</param>
    /// <param name="message">The message the entry holds.</param>
    public ClusterLogEntry(string offset, ClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(message);
        Offset = offset;
        Message = message;
    }

    /// <summary>The entry's offset in the log.</summary>
    public string Offset { get; }

    /// <summary>The message the entry holds.</summary>
    public ClusterMessage Message { get; }
}
