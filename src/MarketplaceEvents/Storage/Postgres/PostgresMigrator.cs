using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

/// <summary>
/// Applies the migrations a database lacks, each in its own transaction together with its row in
/// <c>schema_migrations</c> (PostgreSQL's DDL is transactional: a failed step leaves the previous version). Several
/// nodes starting together queue on an advisory lock, so one migrates and the others then find nothing to do.
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>The lock's first key (an arbitrary constant of this service); the second is the schema's name, so
    /// that databases in different schemas of one server migrate independently.</summary>
    internal const int LockKey = 0x4D4B5450; // "MKTP"

    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlConnection connection, IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken)
    {
        // A session lock: held across the per-migration transactions, released below or when the connection closes
        // (a node that dies mid-migration does not leave the others waiting).
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key, hashtext(current_schema()))", cancellationToken, ("@key", LockKey)).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL
                );
                """, cancellationToken).ConfigureAwait(false);

            // Read under the lock: a node that waited sees what the first one applied.
            var applied = (await connection.QueryAsync("SELECT version FROM schema_migrations", r => r.GetInt32(0), cancellationToken).ConfigureAwait(false)).ToHashSet();
            var appliedNow = new List<int>();
            foreach (var migration in migrations.OrderBy(m => m.Version))
            {
                if (applied.Contains(migration.Version)) continue;
                await connection.InTransactionAsync(async () =>
                {
                    await connection.ExecuteAsync(migration.Sql, cancellationToken).ConfigureAwait(false);
                    return await connection.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                        cancellationToken, ("@version", migration.Version), ("@name", migration.Name), ("@at", DateTimeOffset.UtcNow)).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                appliedNow.Add(migration.Version);
            }
            return appliedNow;
        }
        finally
        {
            // Not cancellable: the lock must go even when the migration was cancelled or failed.
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key, hashtext(current_schema()))", CancellationToken.None, ("@key", LockKey)).ConfigureAwait(false);
        }
    }
}
