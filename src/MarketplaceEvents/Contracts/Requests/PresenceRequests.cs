using MarketplaceEvents.Validation;

namespace MarketplaceEvents.Contracts.Requests;

/// <summary><c>presence.update</c> from a client {status: online|away}; offline is the server's to say.</summary>
internal sealed record PresenceStatusRequest(string Status)
{
    public const string Online = "online";
    public const string Away = "away";
    public const string Offline = "offline";

    private static readonly IReadOnlySet<string> Settable = new HashSet<string>(StringComparer.Ordinal) { Online, Away };

    public static PresenceStatusRequest? Read(PayloadReader r)
    {
        var status = r.Enum("status", required: true, Settable);
        return r.Errors.Count > 0 ? null : new PresenceStatusRequest(status!);
    }
}

/// <summary><c>presence.typing</c> from a client {conversationId, isTyping}.</summary>
internal sealed record TypingRequest(string ConversationId, bool IsTyping)
{
    public static TypingRequest? Read(PayloadReader r)
    {
        var conversationId = r.Id("conversationId");
        var isTyping = r.Bool("isTyping", required: true);
        return r.Errors.Count > 0 ? null : new TypingRequest(conversationId!, isTyping!.Value);
    }
}

/// <summary><c>presence.activity</c> from a client {activity: viewing|messaging|ordering, metadata?: {listingId?, conversationId?}}.</summary>
internal sealed record ActivityRequest(string Activity, string? ListingId, string? ConversationId)
{
    public const string Viewing = "viewing";

    private static readonly IReadOnlySet<string> Activities = new HashSet<string>(StringComparer.Ordinal) { Viewing, "messaging", "ordering" };

    public static ActivityRequest? Read(PayloadReader r)
    {
        var activity = r.Enum("activity", required: true, Activities);
        var metadata = r.Object("metadata", required: false);
        var listingId = metadata?.Id("listingId", required: false);
        var conversationId = metadata?.Id("conversationId", required: false);
        return r.Errors.Count > 0 ? null : new ActivityRequest(activity!, listingId, conversationId);
    }
}
