using MarketplaceEvents.Configuration;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Limits;

/// <summary>The per-IP connection rate of one node on its own, in memory (the default without <c>Realtime:Redis</c>).</summary>
internal sealed class InMemoryConnectionRateLimiter(IOptions<LimitsOptions> limits, TimeProvider time) : IConnectionRateLimiter
{
    private readonly KeyedSlidingWindowLimiter _limiter = new(limits.Value.ConnectionsPerIp, limits.Value.ConnectionWindow, time);

    public Task<(bool Acquired, TimeSpan RetryAfter)> TryAcquireAsync(string address, CancellationToken cancellationToken = default) =>
        Task.FromResult((_limiter.TryAcquire(address, out var wait), wait));
}
