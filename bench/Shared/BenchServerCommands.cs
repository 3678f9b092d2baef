using System.Runtime;

namespace Bench;

/// <summary>
/// The bench servers' side of their contract with the load generator: "READY" once listening, "HEAP &lt;bytes&gt;"
/// after a forced full collection when "gc" arrives on stdin, "ALLOC &lt;bytes&gt;" (allocated since the start)
/// for "alloc", "STATS ..." (the GC's counters, without collecting) for "stats", and exit at once when stdin closes.
/// </summary>
public static class BenchServerCommands
{
    private static long _maxPauseTicks;

    public static void Start()
    {
        AllocationSampler.StartIfAsked();
        new Thread(SamplePauses) { IsBackground = true, Name = "bench-gc-pauses" }.Start();
        var thread = new Thread(() =>
        {
            string? line;
            while ((line = Console.ReadLine()) is not null)
            {
                if (line.Trim() == "alloc")
                {
                    Console.Out.WriteLine($"ALLOC {GC.GetTotalAllocatedBytes(precise: true)}");
                    Console.Out.Flush();
                    continue;
                }
                if (line.Trim() == "stats")
                {
                    // For the soak: what the GC did since the start, and the longest pause seen since the last "stats".
                    var now = GC.GetGCMemoryInfo();
                    var maxPause = TimeSpan.FromTicks(Interlocked.Exchange(ref _maxPauseTicks, 0));
                    Console.Out.WriteLine($"STATS heap {GC.GetTotalMemory(forceFullCollection: false)} heapsize {now.HeapSizeBytes} committed {now.TotalCommittedBytes} " +
                        $"pausems {GC.GetTotalPauseDuration().TotalMilliseconds:F3} gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)} " +
                        $"maxpausems {maxPause.TotalMilliseconds:F3} threads {System.Diagnostics.Process.GetCurrentProcess().Threads.Count}");
                    Console.Out.Flush();
                    continue;
                }
                if (line.Trim() != "gc") continue;
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var info = GC.GetGCMemoryInfo();
                // The first number is what the generator reads; the rest are for a person reading the log.
                Console.Out.WriteLine($"HEAP {GC.GetTotalMemory(forceFullCollection: false)} fragmented {info.FragmentedBytes} committed {info.TotalCommittedBytes} threads {System.Diagnostics.Process.GetCurrentProcess().Threads.Count}");
                Console.Out.Flush();
            }
            // The generator is gone or done with this server: stop now, without a graceful drain of the connections.
            AllocationSampler.Report();
            Environment.Exit(0);
        })
        { IsBackground = true, Name = "bench-commands" };
        thread.Start();
    }

    // The longest pause of the collections seen by sampling every 20 ms (a collection between two samples that is
    // not the last of its kind is missed; the long ones, gen2 and blocking, are rare enough to be seen).
    private static void SamplePauses()
    {
        var lastIndex = new long[3];
        var kinds = new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background };
        while (true)
        {
            Thread.Sleep(20);
            for (var k = 0; k < kinds.Length; k++)
            {
                var info = GC.GetGCMemoryInfo(kinds[k]);
                if (info.Index == lastIndex[k]) continue;
                lastIndex[k] = info.Index;
                var longest = 0L;
                foreach (var pause in info.PauseDurations) longest = Math.Max(longest, pause.Ticks);
                long seen;
                while (longest > (seen = Volatile.Read(ref _maxPauseTicks)) && Interlocked.CompareExchange(ref _maxPauseTicks, longest, seen) != seen) { }
            }
        }
    }

    /// <summary>Reads <c>--name value</c> from the command line.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
