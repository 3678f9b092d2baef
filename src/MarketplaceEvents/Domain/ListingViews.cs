namespace MarketplaceEvents.Domain;

/// <summary>How often a listing was viewed over a period, and by how many distinct users.</summary>
internal sealed record ListingViews(string ListingId, long Views, long UniqueViews, string Period);
