namespace MarketplaceEvents.Limits;

/// <summary>
/// The per-IP rate of new connections (<c>Limits:ConnectionsPerIp</c> per <c>Limits:ConnectionWindow</c>, a sliding
/// window). Global in a cluster (<see cref="RedisConnectionRateLimiter"/>): a load balancer spreads one client's
/// connections over the nodes, and a limit kept per node would let it open N times as many. On one node it is kept
/// in memory (<see cref="InMemoryConnectionRateLimiter"/>).
/// </summary>
internal interface IConnectionRateLimiter
{
    /// <summary>Takes a permit for <paramref name="address"/> if its window has room; otherwise says when one frees up.</summary>
    Task<(bool Acquired, TimeSpan RetryAfter)> TryAcquireAsync(string address, CancellationToken cancellationToken = default);
}
