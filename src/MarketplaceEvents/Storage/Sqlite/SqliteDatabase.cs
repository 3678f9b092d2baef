using Microsoft.Data.Sqlite;

namespace MarketplaceEvents.Storage.Sqlite;

/// <summary>
/// The SQLite database file: opens pooled connections to it, and brings its schema up to date once at start
/// (<see cref="SqliteMigrator"/>).
/// </summary>
internal sealed class SqliteDatabase : IMarketplaceDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // A writer waits this long for another to finish before failing (SQLite allows one writer at a time).
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Description => Path;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT 1", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the file's folder and applies the migrations it lacks. Returns the versions applied now.</summary>
    public async Task<IReadOnlyList<int>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // WAL lets readers go on while one connection writes; the mode is stored in the file.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        return await SqliteMigrator.MigrateAsync(connection, SqliteMigrations.All, cancellationToken).ConfigureAwait(false);
    }
}
