namespace SocketIo.AdminUi.Internal;

/// <summary>
/// Counts engine events per second, type and subtype between two statistics messages (the npm package's event
/// buffer): the UI draws its connection charts from them.
/// </summary>
internal sealed class AggregatedEvents(TimeProvider time)
{
    private readonly object _sync = new();
    private Dictionary<(long Second, string Type, string? SubType), long> _counts = [];

    public void Add(string type, string? subType = null, long count = 1)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds() * 1000;
        lock (_sync)
        {
            _counts.TryGetValue((second, type, subType), out var current);
            _counts[(second, type, subType)] = current + count;
        }
    }

    /// <summary>The counts since the last call, as the UI reads them.</summary>
    public List<AggregatedEvent> TakeAll()
    {
        Dictionary<(long, string, string?), long> taken;
        lock (_sync)
        {
            taken = _counts;
            _counts = [];
        }
        var result = new List<AggregatedEvent>(taken.Count);
        foreach (var ((second, type, subType), count) in taken) result.Add(new AggregatedEvent(second, type, subType, count));
        return result;
    }
}

/// <summary>One entry of <c>aggregatedEvents</c>: a millisecond timestamp rounded down to the second.</summary>
internal sealed record AggregatedEvent(long Timestamp, string Type, string? SubType, long Count);
