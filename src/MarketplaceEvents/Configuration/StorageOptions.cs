namespace MarketplaceEvents.Configuration;

/// <summary>The <c>Storage</c> configuration section.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite database file. Default: <c>data/marketplace.db</c> under the working directory.</summary>
    public string Sqlite { get; set; } = Path.Combine("data", "marketplace.db");
}
