using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>
/// Notifications, and for each user's notifications whether they still wait to be delivered. The queue of
/// undelivered notifications of a user is bounded: past the bound, the oldest ones are dropped from it (they stay
/// readable through <see cref="GetSinceAsync"/>).
/// </summary>
internal interface INotificationStore
{
    /// <summary>
    /// Stores a notification. A user notification enters its user's undelivered queue; when the queue then holds
    /// more than <paramref name="maxUndelivered"/>, the oldest leave it. Returns how many were dropped.
    /// </summary>
    Task<int> SaveAsync(Notification notification, int maxUndelivered, CancellationToken cancellationToken = default);

    /// <summary>The user's notifications and the system notifications created after <paramref name="since"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<Notification>> GetSinceAsync(string userId, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default);

    /// <summary>The user's undelivered notifications, oldest first.</summary>
    Task<IReadOnlyList<Notification>> GetUndeliveredAsync(string userId, int limit, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(IReadOnlyCollection<string> notificationIds, CancellationToken cancellationToken = default);

    /// <summary>Marks one of the user's notifications read; false when the user has no such notification.</summary>
    Task<bool> MarkReadAsync(string notificationId, string userId, CancellationToken cancellationToken = default);
}
