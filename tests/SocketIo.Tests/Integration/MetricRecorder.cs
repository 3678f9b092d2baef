using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace SocketIo.Tests.Integration;

/// <summary>
/// Listens to the Socket.IO and Engine.IO meters of one test server only (those its own <see cref="IMeterFactory"/>
/// created), and sums what each instrument records, by tag set.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();
    // The last value each observable instrument reported, by tag set (replaced at every collection).
    private readonly ConcurrentDictionary<string, long> _observed = new();

    public MetricRecorder(TestServer server)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name is SocketIoServer.MeterName or EngineIo.EngineIoServer.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = Key(instrument.Name, tags);
            if (instrument.IsObservable) _observed[key] = value;
            else _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>The sum of what a counter recorded with exactly these tags ("name" or "name{tag=value}").</summary>
    public long Sum(string key) => _sums.TryGetValue(key, out var sum) ? sum : 0;

    /// <summary>The current value of an observable instrument (collected now).</summary>
    public long Observe(string key)
    {
        _listener.RecordObservableInstruments();
        return _observed.TryGetValue(key, out var value) ? value : 0;
    }

    /// <summary>Waits (bounded) until a counter reaches <paramref name="expected"/>: some counts are recorded just after the wire event a test awaits.</summary>
    public async Task<long> SumEventuallyAsync(string key, long expected)
    {
        using var cts = new CancellationTokenSource(TestServer.Timeout);
        while (Sum(key) < expected && !cts.IsCancellationRequested) await Task.Delay(10);
        return Sum(key);
    }

    public async Task<long> ObserveEventuallyAsync(string key, long expected)
    {
        using var cts = new CancellationTokenSource(TestServer.Timeout);
        while (Observe(key) != expected && !cts.IsCancellationRequested) await Task.Delay(10);
        return Observe(key);
    }

    private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return name;
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags) parts.Add($"{tag.Key}={tag.Value}");
        parts.Sort(StringComparer.Ordinal);
        return name + "{" + string.Join(",", parts) + "}";
    }

    public void Dispose() => _listener.Dispose();
}
