namespace MarketplaceEvents.Domain;

/// <summary>
/// A stored chat message. <see cref="Sequence"/> is the store's insertion order, the tie-breaker between messages of
/// the same millisecond; <see cref="ClientMessageId"/> is the sender's idempotency key, if it sent one.
/// </summary>
internal sealed record ChatMessage(
    string Id,
    long Sequence,
    string ConversationId,
    string SenderId,
    string? ClientMessageId,
    string Content,
    IReadOnlyList<MessageAttachment> Attachments,
    string Status,
    DateTimeOffset CreatedAt);

/// <summary>A file or image a message links to.</summary>
internal sealed record MessageAttachment(string Type, string Url, string? Name, long? Size);

/// <summary>The values of <see cref="ChatMessage.Status"/>, in the order a message goes through them (only forward).</summary>
internal static class MessageStatus
{
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
}
