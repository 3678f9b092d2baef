namespace MarketplaceEvents.Storage.Postgres;

/// <summary>One step of the schema: applied once, in version order, inside a transaction.</summary>
internal sealed record PostgresMigration(int Version, string Name, string Sql);
