using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Contracts.Resources;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Storage;

namespace MarketplaceEvents.Services;

/// <summary>Listings: created by providers, changed by their provider or an admin; watchers hear of every change.</summary>
internal sealed class ListingService(IListingStore listings, IRealtimeEmitter emitter, TimeProvider time)
{
    public const string UpdatePrice = "price";
    public const string UpdateAvailability = "availability";
    public const string UpdateStatus = "status";

    public async Task<ListingResource> CreateAsync(UserIdentity provider, CreateListingRequest request, CancellationToken cancellationToken = default)
    {
        var now = Timestamps.Truncate(time.GetUtcNow());
        var listing = new Listing(Ids.New(Ids.Listing), provider.Id, request.Title, request.Price, request.Currency, request.Quantity,
            request.LowStockThreshold, ListingAvailability.Available, ListingStatus.Active, now, now);
        await listings.CreateAsync(listing, cancellationToken).ConfigureAwait(false);
        return ListingResource.From(listing);
    }

    public async Task<ServiceResult<ListingResource>> GetAsync(string listingId, CancellationToken cancellationToken = default) =>
        await listings.GetAsync(listingId, cancellationToken).ConfigureAwait(false) is { } listing
            ? ListingResource.From(listing)
            : MarketplaceError.NotFound("Listing");

    public async Task<IReadOnlyList<ListingResource>> ListAsync(string? providerId, CancellationToken cancellationToken = default) =>
        (await listings.ListAsync(providerId, 100, cancellationToken).ConfigureAwait(false)).Select(ListingResource.From).ToArray();

    /// <summary>Changes price, availability and/or status; one <c>listing.update</c> per kind that really changed.</summary>
    public async Task<ServiceResult<ListingResource>> UpdateAsync(UserIdentity caller, string listingId, UpdateListingRequest request, CancellationToken cancellationToken = default)
    {
        var found = await FindEditableAsync(caller, listingId, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded) return found.Error;
        var before = found.Value;

        var now = Timestamps.Truncate(time.GetUtcNow());
        var after = before with
        {
            Price = request.Price ?? before.Price,
            Availability = request.Availability ?? before.Availability,
            Status = request.Status ?? before.Status,
            UpdatedAt = now,
        };
        var changes = new List<ListingUpdateEvent>(3);
        var timestamp = Timestamps.ToIso(now);
        if (after.Price != before.Price) changes.Add(new ListingUpdateEvent(listingId, UpdatePrice, new ListingChange(before.Price, after.Price), timestamp));
        if (after.Availability != before.Availability) changes.Add(new ListingUpdateEvent(listingId, UpdateAvailability, new ListingChange(before.Availability, after.Availability), timestamp));
        if (after.Status != before.Status) changes.Add(new ListingUpdateEvent(listingId, UpdateStatus, new ListingChange(before.Status, after.Status), timestamp));
        if (changes.Count == 0) return ListingResource.From(before);

        await listings.UpdateAsync(after, cancellationToken).ConfigureAwait(false);
        foreach (var change in changes) emitter.ToListingWatchers(listingId, EventNames.ListingUpdate, change);
        return ListingResource.From(after);
    }

    /// <summary>Sets the stock; the watchers get <c>listing.stock</c>.</summary>
    public async Task<ServiceResult<ListingResource>> UpdateStockAsync(UserIdentity caller, string listingId, int quantity, CancellationToken cancellationToken = default)
    {
        var found = await FindEditableAsync(caller, listingId, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded) return found.Error;

        var after = found.Value with { Quantity = quantity, UpdatedAt = Timestamps.Truncate(time.GetUtcNow()) };
        await listings.UpdateAsync(after, cancellationToken).ConfigureAwait(false);
        AnnounceStock(after);
        return ListingResource.From(after);
    }

    /// <summary>Emits the listing's current stock to its watchers.</summary>
    public void AnnounceStock(Listing listing) =>
        emitter.ToListingWatchers(listing.Id, EventNames.ListingStock,
            new ListingStockEvent(listing.Id, listing.Quantity, listing.StockStatus, listing.LowStockThreshold));

    public async Task<bool> ExistsAsync(string listingId, CancellationToken cancellationToken = default) =>
        await listings.GetAsync(listingId, cancellationToken).ConfigureAwait(false) is not null;

    private async Task<ServiceResult<Listing>> FindEditableAsync(UserIdentity caller, string listingId, CancellationToken cancellationToken)
    {
        var listing = await listings.GetAsync(listingId, cancellationToken).ConfigureAwait(false);
        if (listing is null) return MarketplaceError.NotFound("Listing");
        if (listing.ProviderId != caller.Id && !caller.IsAdmin) return MarketplaceError.Forbidden("Only the listing's provider or an admin may change it");
        return listing;
    }
}
