namespace MarketplaceEvents.Realtime;

/// <summary>
/// How the services reach connected clients, without knowing sockets: by user (every connection of each user), by
/// listing watchers, or everyone authenticated. Each emit encodes its payload once.
/// </summary>
internal interface IRealtimeEmitter
{
    /// <summary>Emits to every connection of each of <paramref name="userIds"/> (each connection once).</summary>
    void ToUsers(IEnumerable<string> userIds, string eventName, object payload);

    /// <summary>Emits to the sockets subscribed to a listing, except <paramref name="exceptSocketId"/> when given.</summary>
    void ToListingWatchers(string listingId, string eventName, object payload, string? exceptSocketId = null);

    /// <summary>Emits to every authenticated connection.</summary>
    void ToEveryone(string eventName, object payload);

    /// <summary>Whether the user has at least one authenticated connection (on any node).</summary>
    Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default);
}
