namespace MarketplaceEvents.Domain;

/// <summary>A conversation between participants. Deleted conversations are kept, so that history stays consistent.</summary>
internal sealed record Conversation(
    string Id,
    string Status,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> ParticipantIds)
{
    public bool HasParticipant(string userId) => ParticipantIds.Contains(userId, StringComparer.Ordinal);
}

/// <summary>The values of <see cref="Conversation.Status"/>.</summary>
internal static class ConversationStatus
{
    public const string Active = "active";
    public const string Archived = "archived";
    public const string Deleted = "deleted";
}
