namespace Bench;

/// <summary>
/// A diagnostic for the .NET bench servers, on when <c>BENCH_STALLS=1</c>: a thread that sleeps 1 ms at a time and
/// writes to stderr every gap over 8 ms, with the collection counts and the last GC's kind and pause. A GC suspends
/// it like every managed thread, so the gaps show the pauses that the latency percentiles see. This is how the ack
/// tail of round 3 was traced to blocking gen2 collections (bench/results/README.md).
/// </summary>
public static class StallWatcher
{
    private static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(8);

    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("BENCH_STALLS") != "1") return;
        new Thread(Watch) { IsBackground = true, Name = "bench-stalls" }.Start();
    }

    private static void Watch()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = clock.Elapsed;
        while (true)
        {
            Thread.Sleep(1);
            var now = clock.Elapsed;
            if (now - last > Threshold)
            {
                var gc = GC.GetGCMemoryInfo(GCKind.Any);
                Console.Error.WriteLine(
                    $"STALL at {now.TotalSeconds:F3} s: {(now - last).TotalMilliseconds:F1} ms; collections gen0/1/2 " +
                    $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, total pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; " +
                    $"last GC #{gc.Index} gen{gc.Generation} compacting {gc.Compacted} background {gc.Concurrent} pause {gc.PauseDurations[0].TotalMilliseconds:F1} ms, " +
                    $"heap {gc.HeapSizeBytes >> 20} MB, committed {gc.TotalCommittedBytes >> 20} MB, promoted {gc.PromotedBytes >> 20} MB; " +
                    $"pool threads {ThreadPool.ThreadCount}, queued {ThreadPool.PendingWorkItemCount}");
            }
            last = now;
        }
    }
}
