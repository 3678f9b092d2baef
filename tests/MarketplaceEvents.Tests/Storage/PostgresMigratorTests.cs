using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;
using MarketplaceEvents.Tests.Postgres;
using Npgsql;

namespace MarketplaceEvents.Tests.Storage;

[RequiresPostgres]
public sealed class PostgresMigratorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [StoreFact]
    public async Task AppliesEveryMigrationOnceAndFindsNothingToDoOnTheNextStart()
    {
        await using var database = new PostgresDatabase(await (await PostgresServer.GetAsync()).CreateSchemaAsync());
        (await database.InitializeAsync().WaitAsync(Bound)).Should().Equal(PostgresMigrations.All.Select(m => m.Version));
        (await AppliedVersionsAsync(database)).Should().Equal(PostgresMigrations.All.Select(m => m.Version));
        (await database.InitializeAsync().WaitAsync(Bound)).Should().BeEmpty("a second start finds the schema up to date");
    }

    [StoreFact]
    public async Task ThreeNodesStartingTogetherMigrateOnce()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateSchemaAsync();
        // Three nodes: each its own connection pool, all starting at once on the same empty schema.
        var nodes = Enumerable.Range(0, 3).Select(_ => new PostgresDatabase(connectionString)).ToArray();
        try
        {
            using var start = new Barrier(nodes.Length);
            var applied = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
            {
                start.SignalAndWait(Bound);
                return await node.InitializeAsync();
            }))).WaitAsync(Bound);

            var all = PostgresMigrations.All.Select(m => m.Version).ToArray();
            applied.Should().ContainSingle(versions => versions.Count > 0, "one node migrates").Which.Should().Equal(all);
            applied.Count(versions => versions.Count == 0).Should().Be(2, "the others wait for it and find nothing to do");
            (await AppliedVersionsAsync(nodes[0])).Should().Equal(all);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task AppliesOnlyTheMissingVersionsInOrder()
    {
        await using var database = new PostgresDatabase(await (await PostgresServer.GetAsync()).CreateSchemaAsync());
        await database.InitializeAsync();
        await using var connection = await database.OpenAsync();
        PostgresMigration[] extra =
        [
            new(101, "second", "INSERT INTO probe (step) VALUES ('second');"),
            new(100, "first", "CREATE TABLE probe (step text);"),
        ];

        (await PostgresMigrator.MigrateAsync(connection, [.. PostgresMigrations.All, .. extra], CancellationToken.None)).Should().Equal(100, 101);
        (await connection.QueryAsync("SELECT step FROM probe", r => r.GetString(0), CancellationToken.None)).Should().Equal("second");
    }

    [StoreFact]
    public async Task LeavesTheSchemaAtThePreviousVersionAndReleasesTheLockWhenAMigrationFails()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateSchemaAsync();
        await using var database = new PostgresDatabase(connectionString);
        await database.InitializeAsync();
        await using var connection = await database.OpenAsync();
        PostgresMigration[] broken = [new(200, "half done", "CREATE TABLE half (x integer); INSERT INTO nowhere VALUES (1);")];

        var migrate = () => PostgresMigrator.MigrateAsync(connection, [.. PostgresMigrations.All, .. broken], CancellationToken.None);
        await migrate.Should().ThrowAsync<PostgresException>();

        (await connection.QueryAsync("SELECT to_regclass('half')::text", r => r.GetNullableString(0), CancellationToken.None)).Should().Equal([null]);
        (await AppliedVersionsAsync(database)).Should().Equal(PostgresMigrations.All.Select(m => m.Version));
        // The failed run's connection is still open: another node must not wait for it.
        await using var other = new PostgresDatabase(connectionString);
        (await other.InitializeAsync().WaitAsync(Bound)).Should().BeEmpty();
    }

    [Fact]
    public void HasTheSameVersionsAsTheSqliteSchema()
    {
        // A table added to one database and forgotten in the other fails here.
        PostgresMigrations.All.Select(m => (m.Version, m.Name)).Should().Equal(SqliteMigrations.All.Select(m => (m.Version, m.Name)));
    }

    private static async Task<List<int>> AppliedVersionsAsync(PostgresDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QueryAsync("SELECT version FROM schema_migrations ORDER BY version", r => r.GetInt32(0), CancellationToken.None);
    }
}
