namespace MarketplaceEvents.Domain;

/// <summary>
/// A buying pool: a provider offers a listing at a target quantity until a deadline; buyers commit quantities, and
/// reaching the target closes the pool and places one order per commitment.
/// </summary>
internal sealed record BuyingPool(
    string Id,
    string ListingId,
    string ProviderId,
    int TargetQuantity,
    int CommittedQuantity,
    DateTimeOffset Deadline,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The share of the target committed so far, from 0 to 100 (capped).</summary>
    public int Progress => (int)Math.Min(100, CommittedQuantity * 100L / TargetQuantity);
}

/// <summary>One buyer's commitment to a pool; <see cref="OrderId"/> once the pool closed and its order was placed.</summary>
internal sealed record PoolCommitment(string Id, string PoolId, string BuyerId, int Quantity, DateTimeOffset CreatedAt, string? OrderId);

/// <summary>The values of <see cref="BuyingPool.Status"/>.</summary>
internal static class PoolStatus
{
    public const string Open = "open";
    public const string Completed = "completed";
}
