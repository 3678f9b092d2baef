using System.Runtime;

namespace Bench;

/// <summary>
/// The bench servers' side of their contract with the load generator: "READY" once listening, "HEAP &lt;bytes&gt;"
/// after a forced full collection when "gc" arrives on stdin, "ALLOC &lt;bytes&gt;" (allocated since the start)
/// for "alloc", and exit at once when stdin closes.
/// </summary>
public static class BenchServerCommands
{
    public static void Start()
    {
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
            Environment.Exit(0);
        })
        { IsBackground = true, Name = "bench-commands" };
        thread.Start();
    }

    /// <summary>Reads <c>--name value</c> from the command line.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
