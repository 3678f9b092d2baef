using System.Text.Json;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Contracts.Resources;

/// <summary>
/// A notification in the REST API: the fields of <c>notification.user</c> or <c>notification.system</c>, with
/// <c>scope</c> saying which ("user" or "system") and the creation time of both.
/// </summary>
internal sealed record NotificationResource(
    string Id,
    string Scope,
    string? UserId,
    string Type,
    string Title,
    string Message,
    string Priority,
    JsonElement? Metadata,
    JsonElement? Action,
    string? Expiry,
    bool Read,
    string Timestamp)
{
    public static NotificationResource From(Notification n) => new(
        n.Id, n.IsSystem ? "system" : "user", n.UserId, n.Type, n.Title, n.Message, n.Priority, n.Metadata, n.Action,
        Timestamps.ToIso(n.Expiry), n.Read, Timestamps.ToIso(n.CreatedAt));
}
