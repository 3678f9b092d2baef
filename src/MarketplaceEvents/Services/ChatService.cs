using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Storage;

namespace MarketplaceEvents.Services;

/// <summary>Sending messages (stored, then emitted to every participant's every connection), statuses and history.</summary>
internal sealed class ChatService(
    IConversationStore conversations,
    IMessageStore messages,
    IUserStore users,
    IRealtimeEmitter emitter,
    TimeProvider time)
{
    /// <summary>
    /// Stores and delivers a message. A retry with a client message id already stored answers with the stored
    /// message and delivers nothing again.
    /// </summary>
    public async Task<ServiceResult<ChatMessagePayload>> SendAsync(UserIdentity sender, ChatSendRequest request, CancellationToken cancellationToken = default)
    {
        var conversation = await conversations.GetAsync(request.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null || conversation.Status == ConversationStatus.Deleted || !conversation.HasParticipant(sender.Id))
        {
            // Not telling strangers whether a conversation exists.
            return MarketplaceError.NotFound("Conversation");
        }

        var message = new ChatMessage(Ids.New(Ids.Message), 0, conversation.Id, sender.Id, request.ClientMessageId, request.Content,
            request.Attachments, MessageStatus.Sent, Timestamps.Truncate(time.GetUtcNow()));
        var (stored, created) = await messages.SaveAsync(message, cancellationToken).ConfigureAwait(false);
        if (stored.ConversationId != conversation.Id)
        {
            return MarketplaceError.Conflict(ErrorCodes.InvalidPayload, "clientMessageId was already used for a message of another conversation");
        }

        var payload = ChatMessagePayload.From(stored, sender.ToProfile());
        if (created) emitter.ToUsers(conversation.ParticipantIds, EventNames.ChatMessage, payload);
        return payload;
    }

    /// <summary>A page of history, newest first.</summary>
    public async Task<ServiceResult<ChatHistoryAck>> HistoryAsync(UserIdentity caller, ChatHistoryRequest request, CancellationToken cancellationToken = default)
    {
        var conversation = await conversations.GetAsync(request.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null || conversation.Status == ConversationStatus.Deleted || !conversation.HasParticipant(caller.Id))
        {
            return MarketplaceError.NotFound("Conversation");
        }
        // One more than asked for tells whether another page exists.
        var page = await messages.GetHistoryAsync(conversation.Id, request.Limit + 1, request.Before, cancellationToken).ConfigureAwait(false);
        var hasMore = page.Count > request.Limit;
        var shown = hasMore ? page.Take(request.Limit).ToArray() : page;
        var senders = (await users.GetManyAsync(shown.Select(m => m.SenderId).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        return new ChatHistoryAck(shown.Select(m => ChatMessagePayload.From(m, senders[m.SenderId])).ToArray(), hasMore);
    }

    /// <summary>A recipient reports a message delivered or read; the sender hears of it when the status moved forward.</summary>
    public async Task<ServiceResult<ChatStatusEvent>> UpdateStatusAsync(UserIdentity reader, ChatStatusRequest request, CancellationToken cancellationToken = default)
    {
        var message = await messages.GetAsync(request.MessageId, cancellationToken).ConfigureAwait(false);
        if (message is null || message.ConversationId != request.ConversationId) return MarketplaceError.NotFound("Message");
        var conversation = await conversations.GetAsync(message.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null || !conversation.HasParticipant(reader.Id)) return MarketplaceError.NotFound("Message");
        if (message.SenderId == reader.Id) return MarketplaceError.Forbidden("Only recipients report a message's status");

        var update = new ChatStatusEvent(message.Id, message.ConversationId, request.Status, Timestamps.ToIso(time.GetUtcNow()));
        if (await messages.AdvanceStatusAsync(message.Id, request.Status, cancellationToken).ConfigureAwait(false))
        {
            emitter.ToUsers([message.SenderId], EventNames.ChatStatus, update);
        }
        return update;
    }
}
