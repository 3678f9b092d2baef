using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>Buying pools and their commitments.</summary>
internal interface IPoolStore
{
    Task CreateAsync(BuyingPool pool, CancellationToken cancellationToken = default);

    Task<BuyingPool?> GetAsync(string poolId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a commitment to an open pool whose deadline has not passed, in one step with the pool's total: when the
    /// total reaches the target, the pool is completed in the same step. Returns the pool as it is afterwards, or
    /// null (and stores nothing) when the pool is not open any more.
    /// </summary>
    Task<BuyingPool?> CommitAsync(PoolCommitment commitment, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PoolCommitment>> GetCommitmentsAsync(string poolId, CancellationToken cancellationToken = default);

    /// <summary>Records the order placed for a commitment when its pool closed.</summary>
    Task SetOrderAsync(string commitmentId, string orderId, CancellationToken cancellationToken = default);
}
