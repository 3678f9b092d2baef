using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Realtime.PlainApis;
using MarketplaceEvents.Storage;
using SocketIo;

namespace MarketplaceEvents.Services;

/// <summary>
/// Buying pools: a provider opens one on a listing with a target quantity and a deadline; buyers commit quantities;
/// each change is announced (<c>pool.progress</c> to Socket.IO clients watching the pool, <c>POOL_PROGRESS</c> to the
/// participants' notification feeds); reaching the target closes the pool and places one order per commitment.
/// </summary>
internal sealed partial class PoolService(
    IPoolStore pools,
    IListingStore listings,
    OrderService orders,
    SocketIoServer io,
    BulkBuyingFeed feed,
    TimeProvider time,
    ILogger<PoolService> logger)
{
    public const string ProgressEvent = "pool.progress";
    public const string PoolClosed = "POOL_CLOSED";

    public static string Room(string poolId) => "pool:" + poolId;

    public async Task<ServiceResult<PoolResource>> CreateAsync(UserIdentity provider, CreatePoolRequest request, CancellationToken cancellationToken = default)
    {
        var listing = await listings.GetAsync(request.ListingId, cancellationToken).ConfigureAwait(false);
        if (listing is null || (listing.ProviderId != provider.Id && !provider.IsAdmin)) return MarketplaceError.NotFound("Listing");
        var now = Timestamps.Truncate(time.GetUtcNow());
        if (request.Deadline <= now) return MarketplaceError.Invalid("deadline must be in the future");
        var pool = new BuyingPool(Ids.New("pool"), listing.Id, listing.ProviderId, request.TargetQuantity, 0, Timestamps.Truncate(request.Deadline), PoolStatus.Open, now, now);
        await pools.CreateAsync(pool, cancellationToken).ConfigureAwait(false);
        return PoolResource.From(pool, []);
    }

    public async Task<ServiceResult<PoolResource>> GetAsync(string poolId, CancellationToken cancellationToken = default)
    {
        var pool = await pools.GetAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (pool is null) return MarketplaceError.NotFound("Pool");
        return PoolResource.From(pool, await pools.GetCommitmentsAsync(pool.Id, cancellationToken).ConfigureAwait(false));
    }

    public async Task<bool> ExistsAsync(string poolId, CancellationToken cancellationToken = default) =>
        await pools.GetAsync(poolId, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<ServiceResult<PoolResource>> CommitAsync(UserIdentity buyer, string poolId, CommitToPoolRequest request, CancellationToken cancellationToken = default)
    {
        if (await pools.GetAsync(poolId, cancellationToken).ConfigureAwait(false) is null) return MarketplaceError.NotFound("Pool");
        var now = Timestamps.Truncate(time.GetUtcNow());
        var commitment = new PoolCommitment(Ids.New("pcm"), poolId, buyer.Id, request.Quantity, now, null);
        var pool = await pools.CommitAsync(commitment, now, cancellationToken).ConfigureAwait(false);
        if (pool is null) return MarketplaceError.Conflict(PoolClosed, "The pool is closed or past its deadline");

        var commitments = await pools.GetCommitmentsAsync(pool.Id, CancellationToken.None).ConfigureAwait(false);
        if (pool.Status == PoolStatus.Completed)
        {
            // This commitment reached the target: the pool is closed (only one request sees that) and every commitment
            // becomes an order, placed as its buyer would have placed it.
            commitments = await PlaceOrdersAsync(pool, commitments).ConfigureAwait(false);
        }
        Announce(pool, commitments);
        return PoolResource.From(pool, commitments);
    }

    private async Task<IReadOnlyList<PoolCommitment>> PlaceOrdersAsync(BuyingPool pool, IReadOnlyList<PoolCommitment> commitments)
    {
        var placed = new List<PoolCommitment>(commitments.Count);
        foreach (var commitment in commitments)
        {
            var buyer = new UserIdentity(commitment.BuyerId, commitment.BuyerId, UserRole.User, null, DateTimeOffset.MaxValue);
            var order = await orders.CreateAsync(buyer, new CreateOrderRequest(pool.ListingId, commitment.Quantity), CancellationToken.None).ConfigureAwait(false);
            if (!order.Succeeded)
            {
                Log.OrderNotPlaced(logger, pool.Id, commitment.Id, order.Error.Message);
                placed.Add(commitment);
                continue;
            }
            await pools.SetOrderAsync(commitment.Id, order.Value!.Id, CancellationToken.None).ConfigureAwait(false);
            placed.Add(commitment with { OrderId = order.Value.Id });
        }
        return placed;
    }

    private void Announce(BuyingPool pool, IReadOnlyList<PoolCommitment> commitments)
    {
        var progress = new PoolProgress(pool.Id, pool.Progress, pool.CommittedQuantity, pool.TargetQuantity, pool.Status);
        io.To(Room(pool.Id)).Emit(ProgressEvent, progress);
        feed.OnPoolProgress(commitments.Select(c => c.BuyerId).Append(pool.ProviderId).Distinct(), progress);
    }

    private static partial class Log
    {
        [LoggerMessage(910, LogLevel.Warning, "Pool {PoolId}: the order of commitment {CommitmentId} could not be placed: {Reason}", EventName = "PoolOrderNotPlaced")]
        public static partial void OrderNotPlaced(ILogger logger, string poolId, string commitmentId, string reason);
    }
}

/// <summary>The progress of a pool, as <c>pool.progress</c> and <c>POOL_PROGRESS</c> carry it.</summary>
internal sealed record PoolProgress(string PoolId, int Progress, int CurrentQuantity, int TargetQuantity, string Status);

/// <summary>A pool as the REST API returns it.</summary>
internal sealed record PoolResource(
    string Id, string ListingId, string ProviderId, int TargetQuantity, int CurrentQuantity, int Progress, string Deadline, string Status,
    IReadOnlyList<PoolCommitmentResource> Commitments)
{
    public static PoolResource From(BuyingPool pool, IReadOnlyList<PoolCommitment> commitments) => new(
        pool.Id, pool.ListingId, pool.ProviderId, pool.TargetQuantity, pool.CommittedQuantity, pool.Progress, Timestamps.ToIso(pool.Deadline), pool.Status,
        commitments.Select(c => new PoolCommitmentResource(c.Id, c.BuyerId, c.Quantity, c.OrderId)).ToArray());
}

internal sealed record PoolCommitmentResource(string Id, string BuyerId, int Quantity, string? OrderId);
