using System.Text.Json;

namespace MarketplaceEvents.Domain;

/// <summary>
/// A notification: for one user (<see cref="UserId"/> set) or for everyone (a system notification, no user).
/// <see cref="Metadata"/> is any JSON object the sender attached; <see cref="Action"/>, for system notifications,
/// what the client may offer to do (a string or an object).
/// </summary>
internal sealed record Notification(
    string Id,
    string? UserId,
    string Type,
    string Title,
    string Message,
    string Priority,
    JsonElement? Metadata,
    JsonElement? Action,
    DateTimeOffset? Expiry,
    bool Read,
    DateTimeOffset CreatedAt)
{
    public bool IsSystem => UserId is null;
}

/// <summary>The values of <see cref="Notification.Priority"/>.</summary>
internal static class NotificationPriority
{
    public const string Normal = "normal";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { "low", Normal, "high", "urgent" };
}
