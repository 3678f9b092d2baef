using MarketplaceEvents.Configuration;
using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;

namespace MarketplaceEvents.Storage;

/// <summary>
/// Registers the stores of one provider: PostgreSQL when <c>Storage:Postgres</c> is set, the embedded SQLite file
/// otherwise. Each provider registers the same interfaces and an <see cref="IMarketplaceDatabase"/> that migrates it.
/// </summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.Postgres) ? services.AddSqliteStorage(options.Sqlite) : services.AddPostgresStorage(options.Postgres);

    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string path)
    {
        var database = new SqliteDatabase(path);
        services.AddSingleton(database);
        services.AddSingleton<IMarketplaceDatabase>(database);
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IMessageStore, SqliteMessageStore>();
        services.AddSingleton<IListingStore, SqliteListingStore>();
        services.AddSingleton<IOrderStore, SqliteOrderStore>();
        services.AddSingleton<INotificationStore, SqliteNotificationStore>();
        services.AddSingleton<IPoolStore, SqlitePoolStore>();
        return services;
    }

    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        // Built by the container, so that it disposes the connection pool when the host stops.
        services.AddSingleton(_ => new PostgresDatabase(connectionString));
        services.AddSingleton<IMarketplaceDatabase>(provider => provider.GetRequiredService<PostgresDatabase>());
        services.AddSingleton<IUserStore, PostgresUserStore>();
        services.AddSingleton<IConversationStore, PostgresConversationStore>();
        services.AddSingleton<IMessageStore, PostgresMessageStore>();
        services.AddSingleton<IListingStore, PostgresListingStore>();
        services.AddSingleton<IOrderStore, PostgresOrderStore>();
        services.AddSingleton<INotificationStore, PostgresNotificationStore>();
        services.AddSingleton<IPoolStore, PostgresPoolStore>();
        return services;
    }
}
