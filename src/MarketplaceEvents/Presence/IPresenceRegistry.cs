namespace MarketplaceEvents.Presence;

/// <summary>
/// Who is connected, for presence and the per-user connection limit: the authenticated connections of each user
/// and each online user's status (online or away). In memory on one node (<see cref="InMemoryPresenceRegistry"/>),
/// in Redis for a cluster (<see cref="RedisPresenceRegistry"/>), where a user is online while any connection on any
/// live node is open. Every transition it reports (came online, went offline) is reported exactly once, to one
/// caller, whatever the number of nodes: that caller announces it.
/// </summary>
internal interface IPresenceRegistry
{
    /// <summary>
    /// The users with at least one authenticated connection. For a cluster, the count as of the last heartbeat
    /// (statistics only: nothing decides on it).
    /// </summary>
    int OnlineUsers { get; }

    /// <summary>The user's open connections (on every node).</summary>
    Task<int> ConnectionsOfAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an authenticated connection of a user, unless the user already holds <paramref name="maxPerUser"/>
    /// (counted atomically with the addition, so that two nodes cannot both take the last place).
    /// </summary>
    Task<PresenceAdmission> TryAddAsync(string userId, string socketId, int maxPerUser, CancellationToken cancellationToken = default);

    /// <summary>Removes a connection; true when it was the user's last one (the user went offline).</summary>
    Task<bool> RemoveAsync(string userId, string socketId, CancellationToken cancellationToken = default);

    /// <summary>Whether the user has at least one authenticated connection.</summary>
    Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The status (online or away) of those of <paramref name="userIds"/> who are online; the others are absent.</summary>
    Task<IReadOnlyDictionary<string, string>> StatusesAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>Sets an online user's status; false when it already was that, or the user is offline.</summary>
    Task<bool> TrySetStatusAsync(string userId, string status, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IPresenceRegistry.TryAddAsync"/> did.</summary>
internal enum PresenceAdmission
{
    /// <summary>The user is at the connection limit: nothing was added.</summary>
    Refused,

    /// <summary>Added; the user was online already.</summary>
    Added,

    /// <summary>Added as the user's first connection: the user just came online.</summary>
    CameOnline,
}
