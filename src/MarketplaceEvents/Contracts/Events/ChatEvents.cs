using System.Text.Json.Serialization;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Contracts.Events;

/// <summary>A user as chat payloads show them: {id, name, avatar}, with null for what the service does not know.</summary>
internal sealed record ParticipantPayload(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Avatar)
{
    public static ParticipantPayload From(UserProfile profile) => new(profile.Id, profile.Name, profile.Avatar);
}

/// <summary><c>chat.message</c> {id, conversationId, sender: {id, name, avatar}, content, attachments, timestamp, status}.</summary>
internal sealed record ChatMessagePayload(
    string Id,
    string ConversationId,
    ParticipantPayload Sender,
    string Content,
    IReadOnlyList<MessageAttachment> Attachments,
    string Timestamp,
    string Status)
{
    public static ChatMessagePayload From(ChatMessage message, UserProfile sender) => new(
        message.Id, message.ConversationId, ParticipantPayload.From(sender), message.Content, message.Attachments,
        Timestamps.ToIso(message.CreatedAt), message.Status);
}

/// <summary>The acknowledgement of <c>chat.send</c> (and each result of <c>chat.batch</c>): {ok: true, message}.</summary>
internal sealed record ChatSendAck(ChatMessagePayload Message)
{
    [JsonPropertyOrder(-1)]
    public bool Ok => true;
}

/// <summary>The acknowledgement of <c>chat.history</c>: {ok: true, messages (newest first), hasMore}.</summary>
internal sealed record ChatHistoryAck(IReadOnlyList<ChatMessagePayload> Messages, bool HasMore)
{
    [JsonPropertyOrder(-1)]
    public bool Ok => true;
}

/// <summary><c>chat.status</c> {messageId, conversationId, status: delivered|read, timestamp}.</summary>
internal sealed record ChatStatusEvent(string MessageId, string ConversationId, string Status, string Timestamp);

/// <summary><c>chat.conversation.update</c> {conversationId, type: new|archived|deleted, participants, lastMessage?}.</summary>
internal sealed record ConversationUpdateEvent(
    string ConversationId,
    string Type,
    IReadOnlyList<ParticipantPayload> Participants,
    ChatMessagePayload? LastMessage);

/// <summary><c>chat.error</c> {code, message, conversationId?, messageId?, timestamp}.</summary>
internal sealed record ChatErrorEvent(string Code, string Message, string? ConversationId, string? MessageId, string Timestamp);
