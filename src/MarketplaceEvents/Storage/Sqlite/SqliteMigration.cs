namespace MarketplaceEvents.Storage.Sqlite;

/// <summary>One step of the schema: applied once, in version order, inside a transaction.</summary>
internal sealed record SqliteMigration(int Version, string Name, string Sql);
