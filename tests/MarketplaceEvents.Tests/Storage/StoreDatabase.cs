using MarketplaceEvents.Storage;
using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;
using MarketplaceEvents.Tests.Postgres;

namespace MarketplaceEvents.Tests.Storage;

/// <summary>A fresh, migrated database of one kind and its stores, for the store specifications.</summary>
internal sealed class StoreDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private StoreDatabase(
        IUserStore users, IConversationStore conversations, IMessageStore messages, IListingStore listings,
        IOrderStore orders, INotificationStore notifications, IPoolStore pools, Func<ValueTask> dispose)
    {
        Users = users;
        Conversations = conversations;
        Messages = messages;
        Listings = listings;
        Orders = orders;
        Notifications = notifications;
        Pools = pools;
        _dispose = dispose;
    }

    public IUserStore Users { get; }

    public IConversationStore Conversations { get; }

    public IMessageStore Messages { get; }

    public IListingStore Listings { get; }

    public IOrderStore Orders { get; }

    public INotificationStore Notifications { get; }

    public IPoolStore Pools { get; }

    /// <summary>A SQLite file in a temporary folder.</summary>
    public static async Task<StoreDatabase> SqliteAsync()
    {
        var temp = await TempDatabase.CreateAsync();
        var db = temp.Database;
        return new StoreDatabase(new SqliteUserStore(db), new SqliteConversationStore(db), new SqliteMessageStore(db), new SqliteListingStore(db),
            new SqliteOrderStore(db), new SqliteNotificationStore(db), new SqlitePoolStore(db), temp.DisposeAsync);
    }

    /// <summary>A schema of its own in the test run's PostgreSQL cluster.</summary>
    public static async Task<StoreDatabase> PostgresAsync()
    {
        var server = await PostgresServer.GetAsync();
        var db = new PostgresDatabase(await server.CreateSchemaAsync());
        await db.InitializeAsync();
        return new StoreDatabase(new PostgresUserStore(db), new PostgresConversationStore(db), new PostgresMessageStore(db), new PostgresListingStore(db),
            new PostgresOrderStore(db), new PostgresNotificationStore(db), new PostgresPoolStore(db), db.DisposeAsync);
    }

    public ValueTask DisposeAsync() => _dispose();
}

/// <summary>A store specification: written once, run against each database by a subclass.</summary>
public abstract class StoreTests : IAsyncLifetime
{
    internal StoreDatabase Db { get; private set; } = null!;

    internal abstract Task<StoreDatabase> CreateDatabaseAsync();

    /// <summary>What a test needs in the database before it runs.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Db = await CreateDatabaseAsync();
        await SeedAsync();
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();
}
