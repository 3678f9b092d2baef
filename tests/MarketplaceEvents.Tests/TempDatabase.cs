using MarketplaceEvents.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MarketplaceEvents.Tests;

/// <summary>A real SQLite file in a fresh temporary folder, migrated; deleted with the folder on dispose.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string folder, SqliteDatabase database)
    {
        Folder = folder;
        Database = database;
    }

    public string Folder { get; }

    public SqliteDatabase Database { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-tests-" + Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(Path.Combine(folder, "nested", "market.db"));
        await database.InitializeAsync();
        return new TempDatabase(folder, database);
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
