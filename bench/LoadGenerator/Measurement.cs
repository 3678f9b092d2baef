namespace Bench;

/// <summary>
/// Where every client reports a stamped packet it received (a fan-out delivery, an ack, a pong event): counted,
/// and its latency recorded when its timestamp falls in the measurement window. One is current at a time.
/// </summary>
internal sealed class Measurement
{
    private long _received;
    private long _crossNode;
    private long _inWindow;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;

    public static Measurement Current { get; set; } = new();

    public LatencyHistogram Latency { get; } = new();

    public long Received => Volatile.Read(ref _received);

    /// <summary>The packets received by clients on another node than the sender's (the cluster scenario).</summary>
    public long CrossNodeReceived => Volatile.Read(ref _crossNode);

    /// <summary>The latency of the cross-node packets in the window.</summary>
    public LatencyHistogram CrossNodeLatency { get; } = new();

    /// <summary>Packets whose timestamp fell in the window.</summary>
    public long InWindow => Volatile.Read(ref _inWindow);

    /// <summary>Records packets stamped in [start, end) from now on.</summary>
    public void SetWindow(long start, long end)
    {
        Volatile.Write(ref _windowStart, start);
        Volatile.Write(ref _windowEnd, end);
    }

    /// <summary>Called for every stamped packet received (the serial ack scenario waits on it).</summary>
    public Action? Arrived { get; set; }

    public void OnStamped(long stamp, bool crossNode = false)
    {
        Arrived?.Invoke();
        Interlocked.Increment(ref _received);
        if (crossNode) Interlocked.Increment(ref _crossNode);
        if (stamp < Volatile.Read(ref _windowStart) || stamp >= Volatile.Read(ref _windowEnd)) return;
        var now = Timestamps.Now();
        var micros = (long)Timestamps.ToMicroseconds(now - stamp);
        Latency.Record(micros);
        if (crossNode) CrossNodeLatency.Record(micros);
        Interlocked.Increment(ref _inWindow);
    }

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; true if it held.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Timestamps.Now() + Timestamps.FromSeconds(timeout.TotalSeconds);
        while (!condition())
        {
            if (Timestamps.Now() >= deadline) return false;
            await Task.Delay(5);
        }
        return true;
    }
}
