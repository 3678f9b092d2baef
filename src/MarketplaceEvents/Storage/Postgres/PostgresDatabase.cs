using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

/// <summary>
/// A PostgreSQL database shared by every node: hands out pooled connections, and brings the schema up to date at
/// start (<see cref="PostgresMigrator"/>, under a lock, so that nodes starting together migrate once).
/// </summary>
internal sealed class PostgresDatabase : IMarketplaceDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}"
            + (string.IsNullOrEmpty(builder.SearchPath) ? "" : $" (schema {builder.SearchPath})");
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc />
    public string Description { get; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PostgresMigrator.MigrateAsync(connection, PostgresMigrations.All, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT 1", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
