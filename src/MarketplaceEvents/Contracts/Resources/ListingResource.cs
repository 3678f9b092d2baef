using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Contracts.Resources;

/// <summary>A listing in the REST API.</summary>
internal sealed record ListingResource(
    string Id,
    string ProviderId,
    string Title,
    decimal Price,
    string Currency,
    int Quantity,
    int LowStockThreshold,
    string StockStatus,
    string Availability,
    string Status,
    string CreatedAt,
    string UpdatedAt)
{
    public static ListingResource From(Listing l) => new(
        l.Id, l.ProviderId, l.Title, l.Price, l.Currency, l.Quantity, l.LowStockThreshold, l.StockStatus, l.Availability, l.Status,
        Timestamps.ToIso(l.CreatedAt), Timestamps.ToIso(l.UpdatedAt));
}
