using System.Text.Json;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Contracts.Resources;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Storage;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Services;

/// <summary>
/// Notifications: stored first, then emitted. A user notification for a user with no connection waits in the
/// user's bounded queue and is replayed when the user connects again.
/// </summary>
internal sealed partial class NotificationService(
    INotificationStore notifications,
    IRealtimeEmitter emitter,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<NotificationService> logger)
{
    public const int MaxListed = 1000;

    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web);

    public async Task<NotificationResource> CreateAsync(CreateNotificationRequest request, CancellationToken cancellationToken = default)
    {
        var notification = new Notification(Ids.New(Ids.Notification), request.UserId, request.Type, request.Title, request.Message,
            request.Priority, request.Metadata, request.Action, request.Expiry, Read: false, Timestamps.Truncate(time.GetUtcNow()));
        var dropped = await notifications.SaveAsync(notification, limits.Value.MaxUndeliveredNotifications, cancellationToken).ConfigureAwait(false);
        if (dropped > 0) Log.UndeliveredDropped(logger, notification.UserId!, dropped, limits.Value.MaxUndeliveredNotifications);

        if (notification.IsSystem)
        {
            emitter.ToEveryone(EventNames.NotificationSystem, SystemNotificationEvent.From(notification));
        }
        else if (await emitter.IsOnlineAsync(notification.UserId!, cancellationToken).ConfigureAwait(false))
        {
            // Offline users keep it queued: replayed on their next connection.
            emitter.ToUsers([notification.UserId!], EventNames.NotificationUser, UserNotificationEvent.From(notification));
            await notifications.MarkDeliveredAsync([notification.Id], cancellationToken).ConfigureAwait(false);
        }
        return NotificationResource.From(notification);
    }

    /// <summary>A notification the service itself sends one user (stored, then emitted or queued like any other).</summary>
    public Task<NotificationResource> NotifyUserAsync(string userId, string type, string title, string message, object metadata, CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateNotificationRequest(userId, type, title, message, NotificationPriority.Normal,
            JsonSerializer.SerializeToElement(metadata, MetadataJson), null, null), cancellationToken);

    /// <summary>The undelivered notifications of a user who just connected, marked delivered once handed to <paramref name="send"/>.</summary>
    public async Task<int> ReplayAsync(string userId, Action<UserNotificationEvent> send, CancellationToken cancellationToken = default)
    {
        var pending = await notifications.GetUndeliveredAsync(userId, limits.Value.MaxUndeliveredNotifications, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0) return 0;
        foreach (var notification in pending) send(UserNotificationEvent.From(notification));
        await notifications.MarkDeliveredAsync(pending.Select(n => n.Id).ToArray(), cancellationToken).ConfigureAwait(false);
        Log.Replayed(logger, userId, pending.Count);
        return pending.Count;
    }

    public async Task<IReadOnlyList<NotificationResource>> GetSinceAsync(UserIdentity caller, DateTimeOffset? since, CancellationToken cancellationToken = default) =>
        (await notifications.GetSinceAsync(caller.Id, since, MaxListed, cancellationToken).ConfigureAwait(false)).Select(NotificationResource.From).ToArray();

    public async Task<ServiceResult<AckSuccess>> MarkReadAsync(UserIdentity caller, string notificationId, CancellationToken cancellationToken = default) =>
        await notifications.MarkReadAsync(notificationId, caller.Id, cancellationToken).ConfigureAwait(false)
            ? AckSuccess.Instance
            : MarketplaceError.NotFound("Notification");
}
