using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Contracts.Resources;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Presence;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Storage;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Services;

/// <summary>
/// Presence: online when a user's first connection authenticates, offline (with lastSeen) when the last one closes,
/// away/online when the user says so; typing and activity relayed to the people concerned.
/// </summary>
internal sealed class PresenceService(
    IConversationStore conversations,
    IListingStore listings,
    IUserStore users,
    IPresenceRegistry registry,
    IRealtimeEmitter emitter,
    IOptions<RealtimeOptions> options,
    TimeProvider time)
{
    public Task CameOnlineAsync(UserIdentity user, CancellationToken cancellationToken = default) => CameOnlineAsync(user.Id, cancellationToken);

    /// <summary>Announces a user the registry just reported online (its first connection, on any node).</summary>
    public async Task CameOnlineAsync(string userId, CancellationToken cancellationToken = default) =>
        await NotifyContactsAsync(userId, new PresenceUpdateEvent(userId, PresenceStatusRequest.Online), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Announces a user the registry just reported offline (its last connection closed, or the node of its last
    /// connections died), with the time it was last seen.
    /// </summary>
    public async Task WentOfflineAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = Timestamps.Truncate(time.GetUtcNow());
        await users.SetLastSeenAsync(userId, now, cancellationToken).ConfigureAwait(false);
        var contacts = await conversations.GetContactsAsync(userId, cancellationToken).ConfigureAwait(false);
        // A user who reconnected meanwhile (on any node) has been announced online already: an offline now would be
        // wrong. Checked last, right before the emit, to keep the window in which the two can cross small.
        if (await registry.IsOnlineAsync(userId, cancellationToken).ConfigureAwait(false)) return;
        emitter.ToUsers(contacts, EventNames.PresenceUpdate, new PresenceUpdateEvent(userId, PresenceStatusRequest.Offline, Timestamps.ToIso(now)));
    }

    /// <summary>The user sets away or online; the contacts hear of it when it changed.</summary>
    public async Task<PresenceUpdateEvent> SetStatusAsync(UserIdentity user, string status, CancellationToken cancellationToken = default)
    {
        var update = new PresenceUpdateEvent(user.Id, status);
        if (await registry.TrySetStatusAsync(user.Id, status, cancellationToken).ConfigureAwait(false)) await NotifyContactsAsync(user.Id, update, cancellationToken).ConfigureAwait(false);
        return update;
    }

    /// <summary>
    /// Where everyone who shares a conversation with the user stands now (online, away or offline): what a client
    /// shows before the <c>presence.update</c> events that follow.
    /// </summary>
    public async Task<IReadOnlyList<PresenceResource>> ContactsAsync(UserIdentity user, CancellationToken cancellationToken = default)
    {
        var contacts = await conversations.GetContactsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        var profiles = await users.GetManyAsync(contacts, cancellationToken).ConfigureAwait(false);
        var statuses = await registry.StatusesAsync(contacts, cancellationToken).ConfigureAwait(false);
        return profiles.Select(p => new PresenceResource(p.Id, p.Name, statuses.GetValueOrDefault(p.Id) ?? PresenceStatusRequest.Offline)).ToArray();
    }

    public async Task<ServiceResult<TypingEvent>> TypingAsync(UserIdentity user, TypingRequest request, CancellationToken cancellationToken = default)
    {
        var conversation = await conversations.GetAsync(request.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null || conversation.Status == ConversationStatus.Deleted || !conversation.HasParticipant(user.Id))
        {
            return MarketplaceError.NotFound("Conversation");
        }
        var typing = new TypingEvent(user.Id, conversation.Id, request.IsTyping, Timestamps.ToIso(time.GetUtcNow()));
        emitter.ToUsers(conversation.ParticipantIds.Where(id => id != user.Id), EventNames.PresenceTyping, typing);
        return typing;
    }

    /// <summary>
    /// Relays an activity to the other participants of the conversation it names and to the watchers of the listing
    /// it names. Viewing a listing also counts a view, and the watchers get the new counts.
    /// </summary>
    public async Task<ServiceResult<ActivityEvent>> ActivityAsync(UserIdentity user, string socketId, ActivityRequest request, CancellationToken cancellationToken = default)
    {
        Conversation? conversation = null;
        if (request.ConversationId is not null)
        {
            conversation = await conversations.GetAsync(request.ConversationId, cancellationToken).ConfigureAwait(false);
            if (conversation is null || conversation.Status == ConversationStatus.Deleted || !conversation.HasParticipant(user.Id))
            {
                return MarketplaceError.NotFound("Conversation");
            }
        }
        if (request.ListingId is not null && await listings.GetAsync(request.ListingId, cancellationToken).ConfigureAwait(false) is null)
        {
            return MarketplaceError.NotFound("Listing");
        }

        var metadata = request.ListingId is null && request.ConversationId is null ? null : new ActivityMetadata(request.ListingId, request.ConversationId);
        var activity = new ActivityEvent(user.Id, request.Activity, metadata);
        if (conversation is not null)
        {
            emitter.ToUsers(conversation.ParticipantIds.Where(id => id != user.Id), EventNames.PresenceActivity, activity);
        }
        if (request.ListingId is not null)
        {
            emitter.ToListingWatchers(request.ListingId, EventNames.PresenceActivity, activity, exceptSocketId: socketId);
            if (request.Activity == ActivityRequest.Viewing)
            {
                var views = await listings.RecordViewAsync(request.ListingId, user.Id, time.GetUtcNow(), options.Value.ListingViewsPeriod, cancellationToken).ConfigureAwait(false);
                emitter.ToListingWatchers(request.ListingId, EventNames.ListingViews, views);
            }
        }
        return activity;
    }

    private async Task NotifyContactsAsync(string userId, PresenceUpdateEvent update, CancellationToken cancellationToken)
    {
        var contacts = await conversations.GetContactsAsync(userId, cancellationToken).ConfigureAwait(false);
        emitter.ToUsers(contacts, EventNames.PresenceUpdate, update);
    }
}
