namespace MarketplaceEvents.Configuration;

/// <summary>The <c>Storage</c> configuration section.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite database file. Default: <c>data/marketplace.db</c> under the working directory.</summary>
    public string Sqlite { get; set; } = Path.Combine("data", "marketplace.db");

    /// <summary>
    /// A PostgreSQL connection string (Npgsql's format: <c>Host=db;Database=marketplace;Username=app;Password=...</c>).
    /// When set, the service stores everything there instead of the SQLite file, so that several nodes can share it.
    /// Default: none.
    /// </summary>
    public string? Postgres { get; set; }
}
