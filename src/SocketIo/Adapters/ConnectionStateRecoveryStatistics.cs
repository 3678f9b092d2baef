namespace SocketIo.Adapters;

/// <summary>
/// A snapshot of one namespace's connection state recovery store (<see cref="SocketIoAdapter.RecoveryStatistics"/>):
/// its current size, and counters since the server started.
/// </summary>
public sealed record ConnectionStateRecoveryStatistics
{
    /// <summary>Disconnected sessions waiting for their client.</summary>
    public int Sessions { get; init; }

    /// <summary>Events kept for clients that come back.</summary>
    public int Packets { get; init; }

    /// <summary>Sessions kept after their connection dropped.</summary>
    public long SessionsPersisted { get; init; }

    /// <summary>Sessions resumed by their client.</summary>
    public long SessionsRestored { get; init; }

    /// <summary>
    /// Attempts to resume that got a new session instead: unknown or expired private id, or an offset the store
    /// does not hold (never sent, or already dropped).
    /// </summary>
    public long RestoresRefused { get; init; }

    /// <summary>Sessions dropped because their client did not come back in time.</summary>
    public long SessionsExpired { get; init; }

    /// <summary>Events dropped because they were older than the maximum disconnection duration.</summary>
    public long PacketsExpired { get; init; }

    /// <summary>Events dropped, oldest first, because the store held its maximum number of events.</summary>
    public long PacketsEvicted { get; init; }
}
