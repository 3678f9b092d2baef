using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>Listings and their view counts.</summary>
internal interface IListingStore
{
    Task CreateAsync(Listing listing, CancellationToken cancellationToken = default);

    Task<Listing?> GetAsync(string listingId, CancellationToken cancellationToken = default);

    /// <summary>Listings, newest first, optionally of one provider.</summary>
    Task<IReadOnlyList<Listing>> ListAsync(string? providerId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Writes price, availability, status, quantity and the update time of an existing listing.</summary>
    Task UpdateAsync(Listing listing, CancellationToken cancellationToken = default);

    /// <summary>Records one view and returns the counts over the last <paramref name="period"/>.</summary>
    Task<ListingViews> RecordViewAsync(string listingId, string userId, DateTimeOffset at, TimeSpan period, CancellationToken cancellationToken = default);
}
