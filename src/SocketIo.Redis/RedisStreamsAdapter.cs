using System.Collections.Concurrent;
using SocketIo.Adapters;
using SocketIo.Adapters.Cluster;
using SocketIo.Redis.Internal.Streams;
using StackExchange.Redis;
using ClusterMessage = SocketIo.Adapters.Cluster.ClusterMessage;

namespace SocketIo.Redis;

/// <summary>
/// The Redis Streams adapter, wire-compatible with @socket.io/redis-streams-adapter 0.3.1: broadcasts and room
/// operations are appended to a stream (<c>XADD … MAXLEN ~</c>) that every node reads in order; requests and their
/// responses, which need no history, travel on pub/sub (<c>{prefix}#{nsp}#</c> and <c>{prefix}#{nsp}#{uid}#</c>, msgpack);
/// the server count is <c>PUBSUB NUMSUB</c> of the namespace channel. With connection state recovery on, each broadcast's
/// stream id is its offset, and sessions are stored in Redis (<c>{sessionKeyPrefix}{pid}</c>), so a client resumes its
/// session on any node. Unlike the npm package, a session is stored as soon as its socket connects and kept current, so
/// that a node that dies without warning still leaves its sessions behind. Create it with
/// <c>options.UseRedisStreamsAdapter(...)</c>.
/// </summary>
public sealed partial class RedisStreamsAdapter : ClusterAdapter
{
    // The reference's cap on the reads of one restore (RESTORE_SESSION_MAX_XRANGE_CALLS), and the page size of each.
    private const int MaxRestoreReads = 100;
    private const int RestorePageSize = 1_000;

    private readonly RedisStreamsHub _hub;
    private readonly RedisStreamReader _reader;
    private readonly RedisStreamsAdapterOptions _options;
    private readonly RedisKey _stream;
    private readonly string _publicChannel;
    private readonly string _privateChannel;
    private readonly List<ChannelMessageQueue> _queues = [];
    private readonly Task _subscribed;
    private readonly TimeSpan _maxDisconnectionDuration;
    private readonly SessionWriter? _sessions;
    // Socket id -> private session id of the connected sockets whose session is kept in Redis while they are connected.
    private readonly ConcurrentDictionary<string, string> _live = new(StringComparer.Ordinal);
    private readonly Action<SocketIoSocket>? _onDataChanged;
    private readonly Timer? _refresh;
    private readonly TimeSpan _liveExpiry;
    private int _closed;

    internal RedisStreamsAdapter(SocketIoNamespace @namespace, RedisStreamsHub hub, RedisStreamsAdapterOptions options)
        : base(@namespace, logsBroadcasts: true)
    {
        _hub = hub;
        _options = options;
        RequestTimeout = options.RequestsTimeout;
        var stream = RedisStreamsHub.StreamOf(@namespace.Name, options);
        _stream = stream;
        _publicChannel = options.ChannelPrefix + "#" + @namespace.Name + "#";
        _privateChannel = _publicChannel + Uid + "#";
        if (@namespace.Server.Options.ConnectionStateRecovery is { } recovery)
        {
            _maxDisconnectionDuration = recovery.MaxDisconnectionDuration;
            if (options.PersistSessionsWhileConnected)
            {
                // A live session is refreshed twice per expiry: after a crash it lives on for at least the maximum
                // disconnection duration (and at most half of it more), like a session stored at disconnection.
                var refreshPeriod = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _maxDisconnectionDuration.Ticks / 2));
                _liveExpiry = _maxDisconnectionDuration + refreshPeriod;
                _onDataChanged = socket => { if (_live.TryGetValue(socket.Id, out var pid)) _sessions!.Live(pid, socket.Id); };
                _refresh = new Timer(_ => RefreshLiveSessions(), null, refreshPeriod, refreshPeriod);
            }
            _sessions = new SessionWriter(hub.Database, options.SessionKeyPrefix, BuildLiveSession);
        }
        _subscribed = Task.WhenAll(SubscribeAsync(_publicChannel, response: false), SubscribeAsync(_privateChannel, response: true));
        _reader = hub.Register(this, stream);
    }

    /// <summary>Completes once this adapter listens to its channels and reads its namespace's stream.</summary>
    public Task Subscribed => Task.WhenAll(_subscribed, _reader.Reading);

    // ---- Transport ------------------------------------------------------------------------------------------------

    private async Task SubscribeAsync(string channel, bool response)
    {
        var queue = await _hub.Connection.SubscribeAsync(Channel(channel), () => Volatile.Read(ref _closed) == 1).ConfigureAwait(false);
        // One queue per channel keeps each channel's messages in order.
        queue.OnMessage(message => OnReceived((byte[])message.Message!, response));
        lock (_queues) _queues.Add(queue);
        if (Volatile.Read(ref _closed) == 1) await queue.UnsubscribeAsync().ConfigureAwait(false);
    }

    /// <summary>An entry of the stream, handed over by the read loop in stream order.</summary>
    internal void OnStreamEntry(ClusterMessage message, string id) => OnReceived(message, id);

    /// <summary>Where the read loop starts: entries up to there are never handed to this adapter.</summary>
    internal void StartAt(string id) => StartLogAt(id);

    /// <summary>
    /// Requests (fetchSockets, serverSideEmit, broadcasts expecting acknowledgements) go on pub/sub, as msgpack: a node
    /// that was not there when they were sent has nothing to answer. Everything else is appended to the stream; its
    /// entry id is the offset.
    /// </summary>
    protected override async Task<string?> PublishAsync(ClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsEphemeral(message))
        {
            await _hub.Connection.Subscriber.PublishAsync(Channel(_publicChannel), message.EncodeMsgPack()).ConfigureAwait(false);
            return null;
        }
        var id = await _hub.Database.StreamAddAsync(_stream, StreamEntryCodec.Encode(message), maxLength: _options.MaxLength, useApproximateMaxLength: true).ConfigureAwait(false);
        return id;
    }

    /// <summary>A pub/sub channel: sharded (<c>SSUBSCRIBE</c>, <c>SPUBLISH</c>) with <see cref="RedisStreamsAdapterOptions.UseShardedPubSub"/>.</summary>
    private RedisChannel Channel(string name) => _options.UseShardedPubSub ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);

    private static bool IsEphemeral(ClusterMessage message) => message.Type switch
    {
        ClusterMessageType.Broadcast => message.RequestId is not null,
        ClusterMessageType.ServerSideEmit or ClusterMessageType.FetchSockets => true,
        _ => false,
    };

    /// <inheritdoc />
    protected override Task PublishResponseAsync(string requesterUid, ClusterMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return _hub.Connection.Subscriber.PublishAsync(Channel(_options.ChannelPrefix + "#" + Namespace.Name + "#" + requesterUid + "#"), response.EncodeMsgPack());
    }

    /// <summary>
    /// The number of nodes on this namespace's channel (<c>PUBSUB NUMSUB</c>, or <c>SHARDNUMSUB</c> with sharded
    /// pub/sub), this one included.
    /// </summary>
    public override async ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default)
    {
        var result = await _hub.Database.ExecuteAsync("PUBSUB", _options.UseShardedPubSub ? "SHARDNUMSUB" : "NUMSUB", (RedisValue)_publicChannel).WaitAsync(cancellationToken).ConfigureAwait(false);
        var values = (RedisResult[])result!;
        return values.Length >= 2 ? (int)values[1] : 0;
    }

    /// <inheritdoc />
    protected override int CompareOffsets(string x, string y) => StreamOffset.Compare(x, y);

    // ---- Sessions -------------------------------------------------------------------------------------------------

    /// <summary>Stores the session as the npm package does: <c>SET {prefix}{pid} base64(msgpack) PX maxDisconnectionDuration</c>.</summary>
    public override void PersistSession(PersistedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_sessions is null) return;
        _sessions.Final(session.PrivateId, EncodeSession(session.SocketId, session.PrivateId, session.Rooms, session.Data), _maxDisconnectionDuration);
    }

    /// <summary>
    /// Takes the session of <paramref name="privateId"/> from Redis (<c>GETDEL</c>: one node only can take it) and
    /// reads the stream after <paramref name="offset"/>; null when the offset is not an entry of the stream any more
    /// (trimmed) or the session is unknown or expired.
    /// </summary>
    public override async ValueTask<RestoredSession?> RestoreSessionAsync(string privateId, string offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(privateId);
        ArgumentNullException.ThrowIfNull(offset);
        if (_sessions is null || !StreamOffset.IsValid(offset)) return null;
        var database = _hub.Database;
        var stream = _stream;
        var known = await database.StreamRangeAsync(stream, offset, offset, count: 1).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (known.Length == 0)
        {
            Log.RestoreRefused(Namespace.Server.Logger, Namespace.Name, "offset not in the stream");
            return null;
        }

        var raw = await database.StringGetDeleteAsync(_sessions.Key(privateId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var session = raw.IsNullOrEmpty ? null : SessionCodec.TryDecode(raw!, Namespace.Server.TimeProvider.GetUtcNow());
        if (session is null)
        {
            Log.RestoreRefused(Namespace.Server.Logger, Namespace.Name, "session not found");
            return null;
        }

        var entries = new List<ClusterLogEntry>();
        var last = offset;
        for (var i = 0; i < MaxRestoreReads; i++)
        {
            var page = await database.StreamRangeAsync(stream, StreamOffset.Next(last), "+", count: RestorePageSize).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                last = entry.Id!;
                if (StreamEntryCodec.TryDecode(entry.Values) is { } message) entries.Add(new ClusterLogEntry(last, message));
            }
            if (page.Length < RestorePageSize) break;
        }
        var restored = RestoreFromLog(session, entries, last);
        Log.SessionRestored(Namespace.Server.Logger, Namespace.Name, session.SocketId, restored.MissedPacketCount);
        return restored;
    }

    private string EncodeSession(string socketId, string privateId, IEnumerable<string> rooms, object? data)
    {
        byte[] json;
        IReadOnlyList<ReadOnlyMemory<byte>> attachments;
        try
        {
            (json, attachments) = SerializeArguments(null, [data]);
        }
        catch (Exception exception) when (exception is NotSupportedException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // Data that does not serialize (application objects holding services, locks, cycles): the session is stored
            // without it and resumes with no data (an application whose middlewares run again on resume sets it again).
            Log.DataNotSerializable(Namespace.Server.Logger, Namespace.Name, socketId, exception);
            (json, attachments) = ("[null]"u8.ToArray(), []);
        }
        // "[value]" -> value
        return SessionCodec.Encode(socketId, privateId, rooms, json.AsMemory(1, json.Length - 2), attachments);
    }

    /// <summary>The live session of a connected socket, from its state now; null once it is gone.</summary>
    private (string Value, TimeSpan Expiry)? BuildLiveSession(string socketId)
    {
        if (!_live.TryGetValue(socketId, out var privateId) || !Namespace.TryGetSocket(socketId, out var socket) || !socket.Connected) return null;
        return (EncodeSession(socketId, privateId, SocketRooms(socketId), socket.Data), _liveExpiry);
    }

    /// <inheritdoc />
    public override void AddAll(string socketId, IEnumerable<string> rooms)
    {
        base.AddAll(socketId, rooms);
        if (_onDataChanged is null) return;
        if (_live.TryGetValue(socketId, out var privateId))
        {
            _sessions!.Live(privateId, socketId);
            return;
        }
        // A socket connecting (its own room, or its restored rooms): from now on its session can be resumed.
        if (!Namespace.TryGetSocket(socketId, out var socket) || !socket.Connected || socket.PrivateId is not { } pid) return;
        if (_live.TryAdd(socketId, pid)) socket.DataChanged += _onDataChanged;
        _sessions!.Live(pid, socketId);
    }

    /// <inheritdoc />
    public override void Delete(string socketId, string room)
    {
        base.Delete(socketId, room);
        if (_live.TryGetValue(socketId, out var privateId)) _sessions!.Live(privateId, socketId);
    }

    /// <inheritdoc />
    public override void DeleteAll(string socketId)
    {
        base.DeleteAll(socketId);
        if (!_live.TryRemove(socketId, out var privateId)) return;
        if (Namespace.TryGetSocket(socketId, out var socket)) socket.DataChanged -= _onDataChanged;
        // The socket is leaving: when its session may be resumed, PersistSession follows at once and its write wins.
        _sessions!.Delete(privateId);
    }

    private void RefreshLiveSessions()
    {
        try
        {
            var database = _hub.Database;
            foreach (var privateId in _live.Values) database.KeyExpire(_sessions!.Key(privateId), _liveExpiry, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis is away (the connection logs it once); the next round refreshes them, or the next change rewrites them.
        }
    }

    // ---- Closing --------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        if (_refresh is not null) await _refresh.DisposeAsync().ConfigureAwait(false);
        if (_sessions is not null)
        {
            try
            {
                await _sessions.FlushAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis is away: the sessions of this node's last clients are lost, as with any write during an outage.
            }
        }
        List<ChannelMessageQueue> queues;
        lock (_queues) queues = [.. _queues];
        foreach (var queue in queues) await queue.UnsubscribeAsync().ConfigureAwait(false);
        await _hub.UnregisterAsync(this, _reader).ConfigureAwait(false);
        await base.CloseAsync().ConfigureAwait(false);
    }
}
