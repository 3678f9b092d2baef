namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>Counts events in a sliding window (thread-safe): the rate limits of the plain WebSocket APIs.</summary>
internal sealed class SlidingWindowCounter
{
    private readonly Queue<DateTimeOffset> _recent = new();

    /// <summary>Counts one more event at <paramref name="now"/> unless <paramref name="max"/> already happened in the window; false then.</summary>
    public bool TryCount(DateTimeOffset now, int max, TimeSpan window)
    {
        lock (_recent)
        {
            while (_recent.Count > 0 && now - _recent.Peek() >= window) _recent.Dequeue();
            if (_recent.Count >= max) return false;
            _recent.Enqueue(now);
            return true;
        }
    }
}
