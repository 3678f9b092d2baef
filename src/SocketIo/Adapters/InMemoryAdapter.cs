using System.Runtime.InteropServices;
using SocketIo.Internal;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Recovery;

namespace SocketIo.Adapters;

/// <summary>
/// The default adapter: rooms kept in memory, broadcasts delivered to this node's sockets only. With
/// <see cref="SocketIoOptions.ConnectionStateRecovery"/> on, it also keeps, in memory, the sessions of sockets whose
/// connection dropped and the recent events, for their clients to resume. Multi-node adapters derive from it: they
/// keep this node's rooms here and forward the cluster-wide operations to the other nodes.
/// </summary>
public class InMemoryAdapter : SocketIoAdapter
{
    private readonly object _sync = new();
    // Room -> its members, and socket -> its rooms. Every socket is in the room named after it, and many sockets in
    // only that one, so both sides use sets that hold one name without any allocation of their own.
    private readonly Dictionary<string, CompactStringSet> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompactStringSet> _socketRooms = new(StringComparer.Ordinal);
    private readonly RecoveryStore? _recovery;

    /// <summary>Creates the adapter of <paramref name="namespace"/>.</summary>
    public InMemoryAdapter(SocketIoNamespace @namespace)
        : this(@namespace, keepsRecoveryStore: true)
    {
    }

    /// <summary>
    /// Creates the adapter; without <paramref name="keepsRecoveryStore"/>, recovery is left to a subclass whose
    /// transport keeps the events and sessions itself (a cluster log such as Redis Streams).
    /// </summary>
    private protected InMemoryAdapter(SocketIoNamespace @namespace, bool keepsRecoveryStore)
        : base(@namespace)
    {
        var server = @namespace.Server;
        if (keepsRecoveryStore && server.Options.ConnectionStateRecovery is { } recovery)
            _recovery = new RecoveryStore(@namespace.Name, recovery, server.TimeProvider, server.Parser, server.Logger);
    }

    /// <inheritdoc />
    public override IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_sync) return _rooms.Keys.ToArray();
        }
    }

    /// <summary>Whether at least one local socket is in <paramref name="room"/>.</summary>
    public bool HasRoom(string room)
    {
        lock (_sync) return _rooms.ContainsKey(room);
    }

    /// <inheritdoc />
    public override void AddAll(string socketId, IEnumerable<string> rooms)
    {
        // The rooms actually entered, collected only when someone observes them, and reported after the lock.
        List<string>? entered = HasRoomObservers ? [] : null;
        lock (_sync)
        {
            ref var joined = ref CollectionsMarshal.GetValueRefOrAddDefault(_socketRooms, socketId, out _);
            foreach (var room in rooms)
            {
                if (!joined.Add(room)) continue;
                CollectionsMarshal.GetValueRefOrAddDefault(_rooms, room, out _).Add(socketId);
                entered?.Add(room);
            }
        }
        if (entered is null) return;
        foreach (var room in entered) OnRoomJoined(room, socketId);
    }

    /// <inheritdoc />
    public override void Delete(string socketId, string room)
    {
        var left = false;
        lock (_sync)
        {
            ref var joined = ref CollectionsMarshal.GetValueRefOrNullRef(_socketRooms, socketId);
            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref joined)) left = joined.Remove(room);
            RemoveMember(room, socketId);
        }
        if (left) OnRoomLeft(room, socketId);
    }

    /// <inheritdoc />
    public override void DeleteAll(string socketId)
    {
        List<string>? left = HasRoomObservers ? [] : null;
        lock (_sync)
        {
            if (!_socketRooms.Remove(socketId, out var joined)) return;
            foreach (var room in joined)
            {
                RemoveMember(room, socketId);
                left?.Add(room);
            }
        }
        if (left is null) return;
        foreach (var room in left) OnRoomLeft(room, socketId);
    }

    private void RemoveMember(string room, string socketId)
    {
        ref var members = ref CollectionsMarshal.GetValueRefOrNullRef(_rooms, room);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref members)) return;
        members.Remove(socketId);
        // Empty rooms are dropped, so that a room per socket or per conversation does not leak.
        if (members.Count == 0) _rooms.Remove(room);
    }

    /// <inheritdoc />
    public override IReadOnlySet<string> SocketRooms(string socketId)
    {
        lock (_sync)
        {
            var copy = new HashSet<string>(StringComparer.Ordinal);
            if (_socketRooms.TryGetValue(socketId, out var joined))
            {
                foreach (var room in joined) copy.Add(room);
            }
            return copy;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> SocketIds(BroadcastOptions options)
    {
        lock (_sync)
        {
            var result = new List<string>();
            if (options.Rooms.IsEmpty)
            {
                foreach (var (socketId, joined) in _socketRooms)
                {
                    if (!IsExcluded(joined, options)) result.Add(socketId);
                }
                return result;
            }

            // A socket in several targeted rooms gets the packet once.
            HashSet<string>? seen = options.Rooms.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
            foreach (var room in options.Rooms)
            {
                if (!_rooms.TryGetValue(room, out var members)) continue;
                foreach (var socketId in members)
                {
                    if (seen is not null && !seen.Add(socketId)) continue;
                    if (options.Except.IsEmpty || !IsExcluded(_socketRooms[socketId], options)) result.Add(socketId);
                }
            }
            return result;
        }
    }

    private static bool IsExcluded(in CompactStringSet joined, BroadcastOptions options)
    {
        if (options.Except.IsEmpty) return false;
        foreach (var room in options.Except)
        {
            if (joined.Contains(room)) return true;
        }
        return false;
    }

    internal override void Broadcast(SocketIoPacket packet, BroadcastOptions options, Action<SocketIoSocket>? onRecipient = null)
    {
        if (_recovery is null || !RecoveryStore.IsRecoverable(packet, options))
        {
            base.Broadcast(packet, options, onRecipient);
            return;
        }
        // Offsets are handed out and written under one lock, so that every socket receives them in increasing order.
        lock (_recovery.Sync)
        {
            var stored = _recovery.Append(packet, options);
            Deliver(stored.Messages, options, onRecipient);
        }
    }

    /// <inheritdoc />
    public override void PersistSession(PersistedSession session) => _recovery?.Persist(session);

    /// <inheritdoc />
    public override ValueTask<RestoredSession?> RestoreSessionAsync(string privateId, string offset, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_recovery?.Restore(privateId, offset));

    /// <inheritdoc />
    public override ConnectionStateRecoveryStatistics? RecoveryStatistics => _recovery?.Statistics;

    internal override void ConnectRestored(SocketIoSocket socket, RestoredSession restored, ReadOnlyMemory<byte> connectReply)
    {
        if (_recovery is null)
        {
            base.ConnectRestored(socket, restored, connectReply);
            return;
        }
        // No stored event can go out meanwhile: the socket joins its rooms and gets what it missed, including what was
        // sent since the restore (while the middlewares ran), and only then the events that follow.
        lock (_recovery.Sync)
        {
            base.ConnectRestored(socket, restored, connectReply);
            foreach (var packet in _recovery.PacketsAfter(restored.LogEnd, socket.Id, restored.Session.Rooms))
                socket.Client.Send(packet.Messages, isVolatile: false, packet.Compress);
        }
    }
}
