namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>
/// The service's <see cref="IRealtimeEmitter"/>, plus a copy of each event for the plain WebSocket feeds that carry
/// it (in their own message types): the services keep emitting once, unaware of the older APIs.
/// </summary>
internal sealed class FeedRealtimeEmitter(IRealtimeEmitter inner, BulkBuyingFeed feed, ChatDeliveryApi chat, StoreDashboardFeed dashboard, LearningGuideSockets learning) : IRealtimeEmitter
{
    public void ToUsers(IEnumerable<string> userIds, string eventName, object payload)
    {
        var users = userIds as IReadOnlyCollection<string> ?? userIds.ToArray();
        inner.ToUsers(users, eventName, payload);
        feed.OnUserEvent(users, eventName, payload);
        dashboard.OnUserEvent(eventName, payload);
        if (eventName == Contracts.EventNames.ChatMessage && payload is Contracts.Events.ChatMessagePayload message)
        {
            chat.OnChatMessage(users, message);
            learning.OnChatMessage(message);
        }
    }

    public void ToListingWatchers(string listingId, string eventName, object payload, string? exceptSocketId = null)
    {
        inner.ToListingWatchers(listingId, eventName, payload, exceptSocketId);
        dashboard.OnListingEvent(eventName, payload);
    }

    public void ToEveryone(string eventName, object payload)
    {
        inner.ToEveryone(eventName, payload);
        feed.OnEveryoneEvent(eventName, payload);
        dashboard.OnEveryoneEvent(eventName, payload);
    }

    public Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default) => inner.IsOnlineAsync(userId, cancellationToken);
}
