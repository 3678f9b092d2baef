using Microsoft.Extensions.Logging;
using SocketIo.Adapters;
using SocketIo.Internal.Parsing;
using SocketIo.Internal.Protocol;

namespace SocketIo.Internal.Recovery;

/// <summary>
/// One namespace's memory for connection state recovery: the sessions of sockets whose connection dropped, and the
/// events sent recently, each with its offset. Bounded in time (both expire after the maximum disconnection
/// duration, checked on access and by a timer that runs only while something is stored) and in events (the oldest
/// is evicted once the maximum is reached).
/// </summary>
internal sealed partial class RecoveryStore
{
    // Compact the packet list once this many evicted entries sit at its head (and they are half of it).
    private const int CompactionThreshold = 256;

    private static readonly TimeSpan MaxPruneInterval = TimeSpan.FromMinutes(1);

    private readonly object _sync = new();
    private readonly string _namespace;
    private readonly TimeSpan _maxAge;
    private readonly int _maxPackets;
    private readonly TimeProvider _time;
    private readonly IPacketParser _parser;
    private readonly ILogger _logger;
    private readonly PacketOffset _offsets = PacketOffset.NewEpoch();
    private readonly ITimer _pruneTimer;

    // Everything below is guarded by _sync.
    private readonly Dictionary<string, PersistedSession> _sessions = new(StringComparer.Ordinal);
    // Live packets are _packets[_head..], in offset order with no gap: packet i has offset FirstOffset + (i - _head).
    private readonly List<StoredPacket> _packets = [];
    private int _head;
    private long _nextOffset = 1;
    private bool _pruneScheduled;
    private bool _full;
    private long _sessionsPersisted;
    private long _sessionsRestored;
    private long _restoresRefused;
    private long _sessionsExpired;
    private long _packetsExpired;
    private long _packetsEvicted;

    public RecoveryStore(string @namespace, ConnectionStateRecoveryOptions options, TimeProvider time, IPacketParser parser, ILogger logger)
    {
        _namespace = @namespace;
        _maxAge = options.MaxDisconnectionDuration;
        _maxPackets = options.MaxBufferedPackets;
        _time = time;
        _parser = parser;
        _logger = logger;
        // Created idle: it is armed while something is stored, so an unused store holds no timer in the queue.
        _pruneTimer = time.CreateTimer(static state => ((RecoveryStore)state!).OnPruneTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Held while a stored event is written to its recipients, and while a restored socket is attached: each socket
    /// then receives events in offset order, so the offset it reports back always means "everything up to here".
    /// </summary>
    public object Sync => _sync;

    /// <summary>
    /// Whether a packet is stored and carries an offset: events without an acknowledgement (a callback cannot be
    /// replayed on another connection) that are not volatile (they may be dropped anyway).
    /// </summary>
    public static bool IsRecoverable(SocketIoPacket packet, BroadcastOptions options) =>
        packet.Type is PacketType.Event or PacketType.BinaryEvent && packet.Id is null && !options.Volatile;

    private long FirstOffset => _head < _packets.Count ? _packets[_head].Offset : _nextOffset;

    private int Count => _packets.Count - _head;

    /// <summary>Gives the packet its offset, encodes it once and stores it. The caller holds <see cref="Sync"/> and writes the result to the recipients.</summary>
    public StoredPacket Append(SocketIoPacket packet, BroadcastOptions options)
    {
        var now = _time.GetUtcNow();
        var offset = _nextOffset++;
        var stamped = new SocketIoPacket(packet.Type, packet.Namespace, null, PacketOffset.AppendTo(packet.Data.Span, _offsets.Format(offset)), packet.Attachments);
        var stored = new StoredPacket(offset, _parser.Encode(stamped), options.Compress, options.Rooms, options.Except, now);

        ExpirePackets(now);
        if (Count >= _maxPackets)
        {
            RemoveHead();
            _packetsEvicted++;
            if (!_full) Log.BufferFull(_logger, _namespace, _maxPackets);
            _full = true;
        }
        _packets.Add(stored);
        SchedulePrune();
        return stored;
    }

    public void Persist(PersistedSession session)
    {
        lock (_sync)
        {
            _sessions[session.PrivateId] = session;
            _sessionsPersisted++;
            SchedulePrune();
        }
        Log.SessionPersisted(_logger, _namespace, session.SocketId);
    }

    /// <summary>
    /// Takes the session of <paramref name="privateId"/> and the events it missed after <paramref name="offset"/>;
    /// null when the session is unknown or expired, or when the store cannot tell what came after the offset.
    /// A session is taken once: a second client presenting the same id gets a new session.
    /// </summary>
    public RestoredSession? Restore(string privateId, string offset)
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            if (!_sessions.TryGetValue(privateId, out var session)) return Refuse("unknown private session id");
            if (IsExpired(session.DisconnectedAt, now))
            {
                _sessions.Remove(privateId);
                _sessionsExpired++;
                return Refuse("session expired");
            }

            ExpirePackets(now);
            // The client's offset is the last event it processed: everything after it must still be here. The event
            // just before the oldest one kept will do (nothing after it is gone); an older one, or one never sent,
            // will not. The session stays, for its real client.
            if (!_offsets.TryParse(offset, out var last) || last < FirstOffset - 1 || last >= _nextOffset) return Refuse("unknown offset");

            _sessions.Remove(privateId);
            var missed = new List<StoredPacket>();
            for (var i = IndexAfter(last); i < _packets.Count; i++)
            {
                if (_packets[i].IsFor(session.Rooms)) missed.Add(_packets[i]);
            }
            _sessionsRestored++;
            Log.SessionRestored(_logger, _namespace, session.SocketId, missed.Count);
            return new RestoredSession(session, missed, _nextOffset - 1);
        }
    }

    /// <summary>
    /// The events for <paramref name="rooms"/> stored after offset <paramref name="logEnd"/>: those sent between a
    /// restore and the moment the socket joined its rooms. The caller holds <see cref="Sync"/>.
    /// </summary>
    public List<StoredPacket> PacketsAfter(long logEnd, string socketId, IReadOnlyCollection<string> rooms)
    {
        var result = new List<StoredPacket>();
        if (logEnd + 1 < FirstOffset)
        {
            Log.CatchUpIncomplete(_logger, _namespace, socketId, FirstOffset - logEnd - 1);
        }
        for (var i = IndexAfter(Math.Max(logEnd, FirstOffset - 1)); i < _packets.Count; i++)
        {
            if (_packets[i].IsFor(rooms)) result.Add(_packets[i]);
        }
        return result;
    }

    /// <summary>The store's size and counters, after dropping whatever has expired.</summary>
    public ConnectionStateRecoveryStatistics Statistics
    {
        get
        {
            lock (_sync)
            {
                Prune();
                return new ConnectionStateRecoveryStatistics
                {
                    Sessions = _sessions.Count,
                    Packets = Count,
                    SessionsPersisted = _sessionsPersisted,
                    SessionsRestored = _sessionsRestored,
                    RestoresRefused = _restoresRefused,
                    SessionsExpired = _sessionsExpired,
                    PacketsExpired = _packetsExpired,
                    PacketsEvicted = _packetsEvicted,
                };
            }
        }
    }

    private RestoredSession? Refuse(string reason)
    {
        _restoresRefused++;
        Log.RestoreRefused(_logger, _namespace, reason);
        return null;
    }

    private int IndexAfter(long offset) => _head + (int)(offset + 1 - FirstOffset);

    private bool IsExpired(DateTimeOffset since, DateTimeOffset now) => now - since > _maxAge;

    private void ExpirePackets(DateTimeOffset now)
    {
        // Packets are stored in time order: the expired ones are at the head.
        while (Count > 0 && IsExpired(_packets[_head].EmittedAt, now))
        {
            RemoveHead();
            _packetsExpired++;
        }
        if (Count < _maxPackets) _full = false;
    }

    private void RemoveHead()
    {
        // Releases the packet's bytes now; the slot itself goes at the next compaction.
        _packets[_head++] = null!;
        if (_head == _packets.Count)
        {
            _packets.Clear();
            _head = 0;
        }
        else if (_head >= CompactionThreshold && _head >= _packets.Count / 2)
        {
            _packets.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>Drops expired sessions and packets. The caller holds the lock.</summary>
    private void Prune()
    {
        var now = _time.GetUtcNow();
        var sessionsBefore = _sessions.Count;
        var packetsBefore = Count;
        List<string>? expired = null;
        foreach (var (privateId, session) in _sessions)
        {
            if (IsExpired(session.DisconnectedAt, now)) (expired ??= []).Add(privateId);
        }
        if (expired is not null)
        {
            foreach (var privateId in expired) _sessions.Remove(privateId);
            _sessionsExpired += expired.Count;
        }
        ExpirePackets(now);
        var sessionsDropped = sessionsBefore - _sessions.Count;
        var packetsDropped = packetsBefore - Count;
        if (sessionsDropped > 0 || packetsDropped > 0) Log.Pruned(_logger, _namespace, sessionsDropped, packetsDropped);
    }

    private void SchedulePrune()
    {
        if (_pruneScheduled) return;
        _pruneScheduled = true;
        var interval = _maxAge < MaxPruneInterval ? _maxAge : MaxPruneInterval;
        _pruneTimer.Change(interval, interval);
    }

    private void OnPruneTimer()
    {
        lock (_sync)
        {
            Prune();
            if (_sessions.Count > 0 || Count > 0) return;
            // Nothing left to expire: the timer leaves the queue, and with it the last reference that would keep an
            // abandoned namespace alive.
            _pruneScheduled = false;
            _pruneTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
