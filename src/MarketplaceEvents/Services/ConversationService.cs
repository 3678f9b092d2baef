using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Resources;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Storage;

namespace MarketplaceEvents.Services;

/// <summary>Creating, listing, archiving and deleting conversations; every change reaches each participant.</summary>
internal sealed class ConversationService(
    IConversationStore conversations,
    IMessageStore messages,
    IUserStore users,
    IRealtimeEmitter emitter,
    TimeProvider time)
{
    public const string UpdateNew = "new";
    public const string UpdateArchived = "archived";
    public const string UpdateDeleted = "deleted";

    public async Task<ServiceResult<ConversationResource>> CreateAsync(UserIdentity caller, IReadOnlyList<string> participantIds, CancellationToken cancellationToken = default)
    {
        var participants = participantIds.Prepend(caller.Id).Distinct(StringComparer.Ordinal).ToArray();
        if (participants.Length < 2) return MarketplaceError.Invalid("participantIds must name at least one user other than the caller");

        await users.UpsertAsync(caller.ToProfile(), cancellationToken).ConfigureAwait(false);
        var now = Timestamps.Truncate(time.GetUtcNow());
        var conversation = new Conversation(Ids.New(Ids.Conversation), ConversationStatus.Active, caller.Id, now, now, participants);
        // Stored before anyone hears of it.
        await conversations.CreateAsync(conversation, cancellationToken).ConfigureAwait(false);

        var profiles = await users.GetManyAsync(participants, cancellationToken).ConfigureAwait(false);
        emitter.ToUsers(participants, EventNames.ChatConversationUpdate,
            new ConversationUpdateEvent(conversation.Id, UpdateNew, profiles.Select(ParticipantPayload.From).ToArray(), null));
        return ConversationResource.From(conversation, profiles, null);
    }

    public async Task<IReadOnlyList<ConversationResource>> ListAsync(UserIdentity caller, CancellationToken cancellationToken = default)
    {
        var list = await conversations.ListForUserAsync(caller.Id, cancellationToken).ConfigureAwait(false);
        var resources = new List<ConversationResource>(list.Count);
        foreach (var conversation in list)
        {
            var (profiles, last) = await DescribeAsync(conversation, cancellationToken).ConfigureAwait(false);
            resources.Add(ConversationResource.From(conversation, profiles, last));
        }
        return resources;
    }

    /// <summary>Archives or deletes a conversation (a participant or an admin may); the participants get the update.</summary>
    public async Task<ServiceResult<ConversationResource>> CloseAsync(UserIdentity caller, string conversationId, string newStatus, CancellationToken cancellationToken = default)
    {
        var conversation = await conversations.GetAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null || conversation.Status == ConversationStatus.Deleted) return MarketplaceError.NotFound("Conversation");
        if (!conversation.HasParticipant(caller.Id) && !caller.IsAdmin) return MarketplaceError.Forbidden("Only participants may change a conversation");

        var now = Timestamps.Truncate(time.GetUtcNow());
        if (conversation.Status != newStatus)
        {
            await conversations.SetStatusAsync(conversationId, newStatus, now, cancellationToken).ConfigureAwait(false);
            conversation = conversation with { Status = newStatus, UpdatedAt = now };
            var (profiles, last) = await DescribeAsync(conversation, cancellationToken).ConfigureAwait(false);
            var type = newStatus == ConversationStatus.Deleted ? UpdateDeleted : UpdateArchived;
            emitter.ToUsers(conversation.ParticipantIds, EventNames.ChatConversationUpdate,
                new ConversationUpdateEvent(conversation.Id, type, profiles.Select(ParticipantPayload.From).ToArray(), last));
            return ConversationResource.From(conversation, profiles, last);
        }
        var (sameProfiles, sameLast) = await DescribeAsync(conversation, cancellationToken).ConfigureAwait(false);
        return ConversationResource.From(conversation, sameProfiles, sameLast);
    }

    private async Task<(IReadOnlyList<UserProfile> Participants, ChatMessagePayload? LastMessage)> DescribeAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var profiles = await users.GetManyAsync(conversation.ParticipantIds, cancellationToken).ConfigureAwait(false);
        var last = await messages.GetLastAsync(conversation.Id, cancellationToken).ConfigureAwait(false);
        if (last is null) return (profiles, null);
        var sender = profiles.FirstOrDefault(p => p.Id == last.SenderId) ?? new UserProfile(last.SenderId, null, null);
        return (profiles, ChatMessagePayload.From(last, sender));
    }
}
