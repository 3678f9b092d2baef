using MarketplaceEvents.Domain;
using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresListingStore(PostgresDatabase database) : IListingStore
{
    internal const string Columns = "id, provider_id, title, price, currency, quantity, low_stock_threshold, availability, status, created_at, updated_at";

    public async Task CreateAsync(Listing listing, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO listings ({Columns})
            VALUES (@id, @provider, @title, @price, @currency, @quantity, @threshold, @availability, @status, @created, @updated)
            """,
            cancellationToken, ("@id", listing.Id), ("@provider", listing.ProviderId), ("@title", listing.Title),
            ("@price", listing.Price), ("@currency", listing.Currency), ("@quantity", listing.Quantity),
            ("@threshold", listing.LowStockThreshold), ("@availability", listing.Availability), ("@status", listing.Status),
            ("@created", listing.CreatedAt), ("@updated", listing.UpdatedAt)).ConfigureAwait(false);
    }

    public async Task<Listing?> GetAsync(string listingId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, listingId, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<Listing?> GetAsync(NpgsqlConnection connection, string listingId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync($"SELECT {Columns} FROM listings WHERE id = @id", Read, cancellationToken, ("@id", listingId)).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<Listing>> ListAsync(string? providerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryAsync(
            $"SELECT {Columns} FROM listings WHERE @provider::text IS NULL OR provider_id = @provider ORDER BY created_at DESC, id LIMIT @limit",
            Read, cancellationToken, ("@provider", providerId), ("@limit", limit)).ConfigureAwait(false);
    }

    public async Task UpdateAsync(Listing listing, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            UPDATE listings SET price = @price, availability = @availability, status = @status, quantity = @quantity, updated_at = @updated
            WHERE id = @id
            """,
            cancellationToken, ("@id", listing.Id), ("@price", listing.Price), ("@availability", listing.Availability),
            ("@status", listing.Status), ("@quantity", listing.Quantity), ("@updated", listing.UpdatedAt)).ConfigureAwait(false);
    }

    public async Task<ListingViews> RecordViewAsync(string listingId, string userId, DateTimeOffset at, TimeSpan period, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO listing_views (listing_id, user_id, viewed_at) VALUES (@listing, @user, @at)",
            cancellationToken, ("@listing", listingId), ("@user", userId), ("@at", at)).ConfigureAwait(false);
        var counts = await connection.QueryAsync(
            "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM listing_views WHERE listing_id = @listing AND viewed_at > @since",
            r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken, ("@listing", listingId), ("@since", at - period)).ConfigureAwait(false);
        var (views, unique) = counts.Single();
        return new ListingViews(listingId, views, unique, Sqlite.SqliteListingStore.FormatPeriod(period)); // one wording of the period for both databases
    }

    internal static Listing Read(NpgsqlDataReader r) => new(
        Id: r.GetString(0),
        ProviderId: r.GetString(1),
        Title: r.GetString(2),
        Price: r.GetDecimal(3),
        Currency: r.GetString(4),
        Quantity: r.GetInt32(5),
        LowStockThreshold: r.GetInt32(6),
        Availability: r.GetString(7),
        Status: r.GetString(8),
        CreatedAt: r.GetTimestamp(9),
        UpdatedAt: r.GetTimestamp(10));
}
