using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>The names and avatars the service shows for user ids, as the users' tokens last carried them.</summary>
internal interface IUserStore
{
    /// <summary>Remembers the profile a token carries (a no-op when nothing changed).</summary>
    Task UpsertAsync(UserProfile profile, CancellationToken cancellationToken = default);

    /// <summary>The profiles of <paramref name="userIds"/>, in the same order; unknown users have a null name.</summary>
    Task<IReadOnlyList<UserProfile>> GetManyAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>Records when the user's last connection closed.</summary>
    Task SetLastSeenAsync(string userId, DateTimeOffset lastSeen, CancellationToken cancellationToken = default);
}
