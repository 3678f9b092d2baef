namespace EngineIo.Tests.Infrastructure;

/// <summary>The bounds every wait of the suite stays within, so a broken engine fails a test instead of hanging it.</summary>
internal static class Limits
{
    /// <summary>How long any single await may take.</summary>
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds. Only for state the engine raises no event for (such as
    /// <see cref="EngineSession.IsWritable"/> turning true when a GET arrives); anything with an event is awaited.
    /// </summary>
    public static async Task EventuallyAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + Await;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + because + ".");
            await Task.Delay(10);
        }
    }
}
