using MarketplaceEvents.Storage.Sqlite;

namespace MarketplaceEvents.Storage;

/// <summary>Registers the stores. Another provider (PostgreSQL) would add its own method registering the same interfaces.</summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string path)
    {
        services.AddSingleton(new SqliteDatabase(path));
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IMessageStore, SqliteMessageStore>();
        services.AddSingleton<IListingStore, SqliteListingStore>();
        services.AddSingleton<IOrderStore, SqliteOrderStore>();
        services.AddSingleton<INotificationStore, SqliteNotificationStore>();
        services.AddSingleton<IPoolStore, SqlitePoolStore>();
        return services;
    }
}
