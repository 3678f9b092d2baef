namespace MarketplaceEvents.Limits;

/// <summary>
/// At most <c>limit</c> permits in any window of <c>window</c> length: an exact sliding log of the times of the
/// permits granted (at most <c>limit</c> of them), so a burst at the end of one minute and another at the start
/// of the next cannot double the rate. Thread-safe.
/// </summary>
internal sealed class SlidingWindowLimiter
{
    private readonly object _sync = new();
    private readonly long[] _grants;
    private readonly long _windowTicks;
    private readonly TimeProvider _time;
    private int _oldest;
    private int _count;

    public SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _grants = new long[limit];
        _time = time;
        // Timestamps are in the TimeProvider's own frequency, not in TimeSpan ticks.
        _windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Takes a permit if the window has room; otherwise says when the next one frees up.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        lock (_sync)
        {
            Expire(now);
            if (_count < _grants.Length)
            {
                _grants[(_oldest + _count) % _grants.Length] = now;
                _count++;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            var freeAt = _grants[_oldest] + _windowTicks;
            retryAfter = TimeSpan.FromSeconds((double)(freeAt - now) / _time.TimestampFrequency);
            return false;
        }
    }

    /// <summary>Whether no permit granted is still inside the window (the limiter can be forgotten).</summary>
    public bool IsIdle
    {
        get
        {
            lock (_sync)
            {
                Expire(_time.GetTimestamp());
                return _count == 0;
            }
        }
    }

    private void Expire(long now)
    {
        while (_count > 0 && now - _grants[_oldest] >= _windowTicks)
        {
            _oldest = (_oldest + 1) % _grants.Length;
            _count--;
        }
    }
}
