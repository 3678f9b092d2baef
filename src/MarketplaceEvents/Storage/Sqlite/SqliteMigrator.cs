using Microsoft.Data.Sqlite;

namespace MarketplaceEvents.Storage.Sqlite;

/// <summary>
/// Applies the migrations a database lacks, each in its own transaction together with its row in
/// <c>schema_migrations</c>, so a failed step leaves the schema at the previous version.
/// </summary>
internal static class SqliteMigrator
{
    public static async Task<IReadOnlyList<int>> MigrateAsync(SqliteConnection connection, IReadOnlyList<SqliteMigration> migrations, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """, cancellationToken).ConfigureAwait(false);

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
}
