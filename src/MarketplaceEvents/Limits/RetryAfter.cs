namespace MarketplaceEvents.Limits;

/// <summary>The <c>retryAfter</c> clients get: whole seconds, rounded up, at least 1.</summary>
internal static class RetryAfter
{
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
