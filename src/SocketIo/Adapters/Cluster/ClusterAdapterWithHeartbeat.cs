using System.Collections.Concurrent;

namespace SocketIo.Adapters.Cluster;

/// <summary>
/// A <see cref="ClusterAdapter"/> that knows the other nodes by their heartbeats, as socket.io-adapter 2.5's
/// <c>ClusterAdapterWithHeartbeat</c>: for transports that cannot count subscribers (Redis Streams, PostgreSQL). A node
/// announces itself with INITIAL_HEARTBEAT, publishes a HEARTBEAT when it has published nothing for
/// <see cref="HeartbeatInterval"/>, and counts as gone after <see cref="HeartbeatTimeout"/> of silence or its
/// ADAPTER_CLOSE; requests then stop waiting for it.
/// </summary>
public abstract class ClusterAdapterWithHeartbeat : ClusterAdapter, IDisposable
{
    /// <summary>The reference's heartbeat interval, 5 s.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>The reference's heartbeat timeout, 10 s.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, long> _nodes = new(StringComparer.Ordinal);
    private readonly Timer _heartbeat;
    private readonly Timer _cleanup;
    private int _closed;

    /// <summary>Creates the adapter; call <see cref="Init"/> once the transport listens.</summary>
    protected ClusterAdapterWithHeartbeat(SocketIoNamespace @namespace, TimeSpan? heartbeatInterval = null, TimeSpan? heartbeatTimeout = null)
        : base(@namespace)
    {
        HeartbeatInterval = heartbeatInterval ?? DefaultHeartbeatInterval;
        HeartbeatTimeout = heartbeatTimeout ?? DefaultHeartbeatTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatTimeout, TimeSpan.Zero);
        _heartbeat = new Timer(_ => Publish(ClusterMessageType.Heartbeat, ReadOnlyMemory<byte>.Empty));
        // The reference checks once a second; a tenth of the timeout keeps short test timeouts precise too.
        var period = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, HeartbeatTimeout.Ticks / 10 + 1));
        _cleanup = new Timer(_ => RemoveSilentNodes(), null, period, period);
    }

    /// <summary>How long without publishing anything before this node publishes a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; }

    /// <summary>How long a node may stay silent before it counts as gone.</summary>
    public TimeSpan HeartbeatTimeout { get; }

    /// <summary>The ids of the other nodes currently known alive.</summary>
    public IReadOnlyCollection<string> Nodes => _nodes.Keys.ToArray();

    /// <summary>Announces this node (INITIAL_HEARTBEAT): the others answer with heartbeats and so become known.</summary>
    public void Init() => Publish(ClusterMessageType.InitialHeartbeat, ReadOnlyMemory<byte>.Empty);

    /// <inheritdoc />
    public override ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(1 + _nodes.Count);

    private protected override ValueTask<(int Expected, HashSet<string>? From)> ExpectedResponsesAsync()
    {
        var nodes = new HashSet<string>(_nodes.Keys, StringComparer.Ordinal);
        return ValueTask.FromResult((nodes.Count, (HashSet<string>?)nodes));
    }

    private protected override void OnPublishing(ClusterMessage message)
    {
        // Any message proves this node alive: the heartbeat is due one interval after the last publish.
        if (Volatile.Read(ref _closed) == 0) _heartbeat.Change(HeartbeatInterval, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    protected override void OnMessage(ClusterMessage message, string? offset = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Uid == Uid || message.Namespace != Namespace.Name) return;
        if (message.Uid.Length > 0 && message.Uid != EmitterUid) _nodes[message.Uid] = Environment.TickCount64;
        switch (message.Type)
        {
            case ClusterMessageType.InitialHeartbeat:
                Publish(ClusterMessageType.Heartbeat, ReadOnlyMemory<byte>.Empty);
                break;
            case ClusterMessageType.Heartbeat:
                break;
            case ClusterMessageType.AdapterClose:
                RemoveNode(message.Uid);
                break;
            default:
                base.OnMessage(message, offset);
                break;
        }
    }

    /// <summary>Tells the others this node leaves (ADAPTER_CLOSE) and stops the timers.</summary>
    public override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        var close = ClusterMessage.Create(ClusterMessageType.AdapterClose, Uid, Namespace.Name, ReadOnlyMemory<byte>.Empty);
        Dispose();
        try
        {
            await PublishAsync(close).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            OnPublishFailed(close, exception);
        }
        await base.CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the heartbeat and liveness timers.</summary>
    public void Dispose()
    {
        _heartbeat.Dispose();
        _cleanup.Dispose();
        GC.SuppressFinalize(this);
    }

    private void RemoveSilentNodes()
    {
        var now = Environment.TickCount64;
        foreach (var (uid, lastSeen) in _nodes)
        {
            if (now - lastSeen > (long)HeartbeatTimeout.TotalMilliseconds) RemoveNode(uid);
        }
    }

    private void RemoveNode(string uid)
    {
        _nodes.TryRemove(uid, out _);
        ForgetNode(uid);
    }
}
