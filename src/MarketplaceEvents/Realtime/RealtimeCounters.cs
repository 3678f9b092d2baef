namespace MarketplaceEvents.Realtime;

/// <summary>Counters of the real-time traffic since start, for the stats endpoint. Thread-safe.</summary>
internal sealed class RealtimeCounters
{
    private long _eventsReceived;
    private long _eventsRateLimited;
    private long _eventsInvalid;
    private long _pongsReceived;
    private long _connectionsRefused;

    public long EventsReceived => Interlocked.Read(ref _eventsReceived);

    public long EventsRateLimited => Interlocked.Read(ref _eventsRateLimited);

    public long EventsInvalid => Interlocked.Read(ref _eventsInvalid);

    public long PongsReceived => Interlocked.Read(ref _pongsReceived);

    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    public void EventReceived() => Interlocked.Increment(ref _eventsReceived);

    public void EventRateLimited() => Interlocked.Increment(ref _eventsRateLimited);

    public void EventInvalid() => Interlocked.Increment(ref _eventsInvalid);

    public void PongReceived() => Interlocked.Increment(ref _pongsReceived);

    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);
}
