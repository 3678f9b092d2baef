using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Contracts.Resources;

/// <summary>A conversation in the REST API.</summary>
internal sealed record ConversationResource(
    string Id,
    string Status,
    IReadOnlyList<ParticipantPayload> Participants,
    string CreatedBy,
    string CreatedAt,
    string UpdatedAt,
    ChatMessagePayload? LastMessage)
{
    public static ConversationResource From(Conversation c, IReadOnlyList<UserProfile> participants, ChatMessagePayload? lastMessage) => new(
        c.Id, c.Status, participants.Select(ParticipantPayload.From).ToArray(), c.CreatedBy,
        Timestamps.ToIso(c.CreatedAt), Timestamps.ToIso(c.UpdatedAt), lastMessage);
}
