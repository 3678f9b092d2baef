using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Bench;

/// <summary>
/// BENCH_ALLOC_TYPES=1: samples the server's allocations by type (the runtime's AllocationTick event, one per ~100 KB
/// allocated) and prints the largest types on stderr when the server stops. A rough profile of what a scenario
/// allocates, without a profiler; the sampled bytes are each sample's 100 KB, credited to the type that crossed it.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private static AllocationSampler? _instance;
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") == "1") _instance = new AllocationSampler();
    }

    /// <summary>Prints the sampled types, largest first (only when sampling was asked for).</summary>
    public static void Report()
    {
        if (_instance is not { } sampler) return;
        var total = sampler._bytes.Values.Sum();
        Console.Error.WriteLine($"ALLOC-TYPES sampled {total / 1024.0 / 1024.0:F1} MB");
        foreach (var (type, bytes) in sampler._bytes.OrderByDescending(p => p.Value).Take(25))
            Console.Error.WriteLine($"  {100.0 * bytes / total,5:F1}%  {type}");
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // GC keyword (0x1) at verbose level: AllocationTick.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var type = e.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? e.Payload![t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload![a]) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
