namespace MarketplaceEvents.Storage;

/// <summary>The database behind the stores (SQLite or PostgreSQL): what the service needs of it at start.</summary>
internal interface IMarketplaceDatabase
{
    /// <summary>Where the data lives, for the startup banner (a file path, or host, port and database; never a password).</summary>
    string Description { get; }

    /// <summary>Applies the migrations the database lacks. Returns the versions applied now (empty when up to date).</summary>
    Task<IReadOnlyList<int>> InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a connection and runs a trivial query (the readiness check); throws when the database does not answer.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
