using System.Runtime.InteropServices;

namespace Bench;

/// <summary>
/// Runs a sending loop on its own thread, waking every ~100 µs. Task.Delay(1) sleeps about 4 ms on Linux: an open
/// loop paced by it would add milliseconds of its own lateness to every latency, and a saturating publisher would
/// leave the server idle between bursts.
/// </summary>
internal static partial class Pacer
{
    private const uint IntervalMicroseconds = 100;

    /// <summary>Calls <paramref name="step"/> until it returns false, sleeping a little between calls.</summary>
    public static Task RunAsync(Func<bool> step)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                while (step()) Sleep(IntervalMicroseconds);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        { IsBackground = true, Name = "bench-pacer" };
        thread.Start();
        return done.Task;
    }

    private static void Sleep(uint microseconds)
    {
        if (OperatingSystem.IsLinux()) _ = usleep(microseconds);
        else Thread.Sleep(1);
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int usleep(uint microseconds);
}
