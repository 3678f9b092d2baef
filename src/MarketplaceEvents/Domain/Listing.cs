namespace MarketplaceEvents.Domain;

/// <summary>Something a provider sells.</summary>
internal sealed record Listing(
    string Id,
    string ProviderId,
    string Title,
    decimal Price,
    string Currency,
    int Quantity,
    int LowStockThreshold,
    string Availability,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The default <see cref="LowStockThreshold"/>.</summary>
    public const int DefaultLowStockThreshold = 5;

    /// <summary><c>out_of_stock</c> at zero, <c>low_stock</c> at or below the threshold, <c>in_stock</c> above it.</summary>
    public string StockStatus => Quantity <= 0 ? "out_of_stock" : Quantity <= LowStockThreshold ? "low_stock" : "in_stock";

    /// <summary>Whether buyers can order it now.</summary>
    public bool IsOrderable => Status == ListingStatus.Active && Availability == ListingAvailability.Available;
}

/// <summary>The values of <see cref="Listing.Availability"/>.</summary>
internal static class ListingAvailability
{
    public const string Available = "available";
    public const string Unavailable = "unavailable";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Available, Unavailable };
}

/// <summary>The values of <see cref="Listing.Status"/>.</summary>
internal static class ListingStatus
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Archived = "archived";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Active, Paused, Archived };
}
