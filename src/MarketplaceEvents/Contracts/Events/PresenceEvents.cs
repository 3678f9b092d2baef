namespace MarketplaceEvents.Contracts.Events;

/// <summary><c>presence.update</c> {userId, status: online|offline|away, lastSeen?}.</summary>
internal sealed record PresenceUpdateEvent(string UserId, string Status, string? LastSeen = null);

/// <summary><c>presence.typing</c> {userId, conversationId, isTyping, timestamp}.</summary>
internal sealed record TypingEvent(string UserId, string ConversationId, bool IsTyping, string Timestamp);

/// <summary><c>presence.activity</c> {userId, activity, metadata?: {listingId?, conversationId?}}.</summary>
internal sealed record ActivityEvent(string UserId, string Activity, ActivityMetadata? Metadata);

internal sealed record ActivityMetadata(string? ListingId, string? ConversationId);
