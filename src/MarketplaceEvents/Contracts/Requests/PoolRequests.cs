using MarketplaceEvents.Validation;

namespace MarketplaceEvents.Contracts.Requests;

/// <summary><c>POST /api/pools</c> {listingId, targetQuantity, deadline}.</summary>
internal sealed record CreatePoolRequest(string ListingId, int TargetQuantity, DateTimeOffset Deadline)
{
    public static CreatePoolRequest? Read(PayloadReader r)
    {
        var listingId = r.Id("listingId");
        var target = r.Int("targetQuantity", required: true, 1, 1_000_000);
        var deadline = r.Timestamp("deadline", required: true);
        return r.Errors.Count > 0 ? null : new CreatePoolRequest(listingId!, target!.Value, deadline!.Value);
    }
}

/// <summary><c>POST /api/pools/{id}/commitments</c> {quantity}.</summary>
internal sealed record CommitToPoolRequest(int Quantity)
{
    public static CommitToPoolRequest? Read(PayloadReader r)
    {
        var quantity = r.Int("quantity", required: true, 1, 10_000);
        return r.Errors.Count > 0 ? null : new CommitToPoolRequest(quantity!.Value);
    }
}

/// <summary><c>pool.subscribe</c> / <c>pool.unsubscribe</c> {poolId}.</summary>
internal sealed record PoolSubscriptionRequest(string PoolId)
{
    public static PoolSubscriptionRequest? Read(PayloadReader r)
    {
        var poolId = r.Id("poolId");
        return r.Errors.Count > 0 ? null : new PoolSubscriptionRequest(poolId!);
    }
}
