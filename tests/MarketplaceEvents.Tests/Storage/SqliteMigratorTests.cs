using MarketplaceEvents.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MarketplaceEvents.Tests.Storage;

public sealed class SqliteMigratorTests
{
    [Fact]
    public async Task CreatesTheFileAndItsFolderAndAppliesEveryMigrationOnce()
    {
        await using var temp = await TempDatabase.CreateAsync();
        File.Exists(temp.Database.Path).Should().BeTrue();

        await using var connection = await temp.Database.OpenAsync();
        var versions = await connection.QueryAsync("SELECT version FROM schema_migrations ORDER BY version", r => r.GetInt32(0), CancellationToken.None);
        versions.Should().Equal(SqliteMigrations.All.Select(m => m.Version));
        var journal = await connection.QueryAsync("PRAGMA journal_mode", r => r.GetString(0), CancellationToken.None);
        journal.Should().Equal("wal");

        (await temp.Database.InitializeAsync()).Should().BeEmpty("a second start finds the schema up to date");
    }

    [Fact]
    public async Task AppliesOnlyTheMissingVersionsInOrder()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var connection = await temp.Database.OpenAsync();
        SqliteMigration[] extra =
        [
            new(101, "second", "INSERT INTO probe (step) VALUES ('second');"),
            new(100, "first", "CREATE TABLE probe (step TEXT);"),
        ];

        (await SqliteMigrator.MigrateAsync(connection, [.. SqliteMigrations.All, .. extra], CancellationToken.None)).Should().Equal(100, 101);
        (await connection.QueryAsync("SELECT step FROM probe", r => r.GetString(0), CancellationToken.None)).Should().Equal("second");
    }

    [Fact]
    public async Task LeavesTheSchemaAtThePreviousVersionWhenAMigrationFails()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var connection = await temp.Database.OpenAsync();
        SqliteMigration[] broken = [new(200, "half done", "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);")];

        var migrate = () => SqliteMigrator.MigrateAsync(connection, [.. SqliteMigrations.All, .. broken], CancellationToken.None);
        await migrate.Should().ThrowAsync<SqliteException>();

        (await connection.QueryAsync("SELECT name FROM sqlite_master WHERE name = 'half'", r => r.GetString(0), CancellationToken.None)).Should().BeEmpty();
        (await connection.QueryAsync("SELECT MAX(version) FROM schema_migrations", r => r.GetInt32(0), CancellationToken.None)).Should().Equal(SqliteMigrations.All.Max(m => m.Version));
    }
}
