using System.Text.Json;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Contracts.Events;

/// <summary><c>notification.user</c> {id, userId, type, title, message, metadata, read, timestamp}.</summary>
internal sealed record UserNotificationEvent(
    string Id,
    string UserId,
    string Type,
    string Title,
    string Message,
    JsonElement Metadata,
    bool Read,
    string Timestamp)
{
    private static readonly JsonElement EmptyObject = JsonElement.Parse("{}");

    public static UserNotificationEvent From(Notification n) =>
        new(n.Id, n.UserId!, n.Type, n.Title, n.Message, n.Metadata ?? EmptyObject, n.Read, Timestamps.ToIso(n.CreatedAt));
}

/// <summary><c>notification.system</c> {id, type, priority, title, message, action?, expiry?}.</summary>
internal sealed record SystemNotificationEvent(
    string Id,
    string Type,
    string Priority,
    string Title,
    string Message,
    JsonElement? Action,
    string? Expiry)
{
    public static SystemNotificationEvent From(Notification n) =>
        new(n.Id, n.Type, n.Priority, n.Title, n.Message, n.Action, Timestamps.ToIso(n.Expiry));
}
