namespace MarketplaceEvents.Realtime;

/// <summary>
/// This node's connection counters, for the stats endpoints. Who is connected, for presence and the per-user limit,
/// is the <see cref="Presence.IPresenceRegistry"/>'s (cluster-wide with Redis). Thread-safe.
/// </summary>
internal sealed class ConnectionRegistry
{
    private long _totalConnections;
    private int _activeConnections;

    /// <summary>Every socket accepted by this node since start.</summary>
    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>The sockets connected to this node now, authenticated or not yet.</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    public void SocketOpened()
    {
        Interlocked.Increment(ref _totalConnections);
        Interlocked.Increment(ref _activeConnections);
    }

    public void SocketClosed() => Interlocked.Decrement(ref _activeConnections);
}
