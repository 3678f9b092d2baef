using MarketplaceEvents.Domain;
using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresPoolStore(PostgresDatabase database) : IPoolStore
{
    private const string Columns = "id, listing_id, provider_id, target_quantity, committed_quantity, deadline, status, created_at, updated_at";

    public async Task CreateAsync(BuyingPool pool, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            $"INSERT INTO buying_pools ({Columns}) VALUES (@id, @listing, @provider, @target, @committed, @deadline, @status, @created, @updated)",
            cancellationToken, ("@id", pool.Id), ("@listing", pool.ListingId), ("@provider", pool.ProviderId), ("@target", pool.TargetQuantity),
            ("@committed", pool.CommittedQuantity), ("@deadline", pool.Deadline), ("@status", pool.Status), ("@created", pool.CreatedAt),
            ("@updated", pool.UpdatedAt)).ConfigureAwait(false);
    }

    public async Task<BuyingPool?> GetAsync(string poolId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, poolId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BuyingPool?> GetAsync(NpgsqlConnection connection, string poolId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync($"SELECT {Columns} FROM buying_pools WHERE id = @id", Read, cancellationToken, ("@id", poolId)).ConfigureAwait(false)).SingleOrDefault();

    public async Task<BuyingPool?> CommitAsync(PoolCommitment commitment, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.InTransactionAsync(async () =>
        {
            // Open and before its deadline, checked and changed in one statement: two buyers racing for the last units
            // both count, and nothing is added once the pool closed.
            var added = await connection.ExecuteAsync(
                """
                UPDATE buying_pools
                SET committed_quantity = committed_quantity + @quantity,
                    status = CASE WHEN committed_quantity + @quantity >= target_quantity THEN 'completed' ELSE status END,
                    updated_at = @at
                WHERE id = @id AND status = 'open' AND deadline > @at
                """,
                cancellationToken, ("@id", commitment.PoolId), ("@quantity", commitment.Quantity), ("@at", at)).ConfigureAwait(false);
            if (added == 0) return null;
            await connection.ExecuteAsync(
                "INSERT INTO pool_commitments (id, pool_id, buyer_id, quantity, created_at, order_id) VALUES (@id, @pool, @buyer, @quantity, @at, NULL)",
                cancellationToken, ("@id", commitment.Id), ("@pool", commitment.PoolId), ("@buyer", commitment.BuyerId),
                ("@quantity", commitment.Quantity), ("@at", commitment.CreatedAt)).ConfigureAwait(false);
            return await GetAsync(connection, commitment.PoolId, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PoolCommitment>> GetCommitmentsAsync(string poolId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryAsync(
            "SELECT id, pool_id, buyer_id, quantity, created_at, order_id FROM pool_commitments WHERE pool_id = @pool ORDER BY seq",
            r => new PoolCommitment(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetTimestamp(4), r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken, ("@pool", poolId)).ConfigureAwait(false);
    }

    public async Task SetOrderAsync(string commitmentId, string orderId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE pool_commitments SET order_id = @order WHERE id = @id", cancellationToken, ("@id", commitmentId), ("@order", orderId)).ConfigureAwait(false);
    }

    private static BuyingPool Read(NpgsqlDataReader r) => new(
        Id: r.GetString(0),
        ListingId: r.GetString(1),
        ProviderId: r.GetString(2),
        TargetQuantity: r.GetInt32(3),
        CommittedQuantity: r.GetInt32(4),
        Deadline: r.GetTimestamp(5),
        Status: r.GetString(6),
        CreatedAt: r.GetTimestamp(7),
        UpdatedAt: r.GetTimestamp(8));
}
