namespace MarketplaceEvents.Domain;

/// <summary>A buyer's order of a listing; the listing's provider is the order's provider.</summary>
internal sealed record Order(
    string Id,
    string ListingId,
    string BuyerId,
    string ProviderId,
    int Quantity,
    decimal UnitPrice,
    string Currency,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether <paramref name="userId"/> is the buyer or the provider.</summary>
    public bool IsParty(string userId) => BuyerId == userId || ProviderId == userId;
}
