namespace EngineIo.Internal;

/// <summary>
/// Counters of one server's protection against slow consumers, incremented with <see cref="Interlocked"/> where the
/// event happens and read by whoever reports them (tests, meters).
/// </summary>
internal sealed class EngineStatistics
{
    private long _volatileDropped;
    private long _slowConsumerCloses;
    private long _stalledWriteCloses;

    /// <summary>Volatile messages dropped because their session could not take them at once (or was over half its queue limit).</summary>
    public long VolatileDropped => Volatile.Read(ref _volatileDropped);

    /// <summary>Sessions closed because their queued outgoing bytes passed the limit.</summary>
    public long SlowConsumerCloses => Volatile.Read(ref _slowConsumerCloses);

    /// <summary>Sessions closed because a write to them made no progress for longer than the ping timeout.</summary>
    public long StalledWriteCloses => Volatile.Read(ref _stalledWriteCloses);

    public void OnVolatileDropped() => Interlocked.Increment(ref _volatileDropped);

    public void OnSlowConsumerClosed() => Interlocked.Increment(ref _slowConsumerCloses);

    public void OnStalledWriteClosed() => Interlocked.Increment(ref _stalledWriteCloses);
}
