namespace MarketplaceEvents.Limits;

/// <summary>
/// One <see cref="SlidingWindowLimiter"/> per key (an IP address), created on first use and forgotten once idle,
/// so that the memory held follows the number of recent clients, not of all clients ever seen.
/// </summary>
internal sealed class KeyedSlidingWindowLimiter
{
    // Idle limiters are swept when the table has grown past this since the last sweep.
    private const int SweepThreshold = 1024;

    private readonly object _sync = new();
    private readonly Dictionary<string, SlidingWindowLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private int _sweepAt = SweepThreshold;

    public KeyedSlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        _limit = limit;
        _window = window;
        _time = time;
    }

    /// <summary>The number of keys currently tracked.</summary>
    public int Count
    {
        get
        {
            lock (_sync) return _limiters.Count;
        }
    }

    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        lock (_sync)
        {
            if (!_limiters.TryGetValue(key, out var limiter))
            {
                if (_limiters.Count >= _sweepAt) Sweep();
                limiter = new SlidingWindowLimiter(_limit, _window, _time);
                _limiters[key] = limiter;
            }
            return limiter.TryAcquire(out retryAfter);
        }
    }

    private void Sweep()
    {
        foreach (var (key, limiter) in _limiters)
        {
            if (limiter.IsIdle) _limiters.Remove(key);
        }
        _sweepAt = Math.Max(SweepThreshold, _limiters.Count * 2);
    }
}
