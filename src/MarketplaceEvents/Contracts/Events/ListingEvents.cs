namespace MarketplaceEvents.Contracts.Events;

/// <summary><c>listing.update</c> {listingId, type: price|availability|status, changes: {previous, current}, timestamp}.</summary>
internal sealed record ListingUpdateEvent(string ListingId, string Type, ListingChange Changes, string Timestamp);

/// <summary>A changed value: a number for price, a string otherwise.</summary>
internal sealed record ListingChange(object Previous, object Current);

/// <summary><c>listing.stock</c> {listingId, quantity, status: in_stock|low_stock|out_of_stock, threshold?}.</summary>
internal sealed record ListingStockEvent(string ListingId, int Quantity, string Status, int? Threshold);
