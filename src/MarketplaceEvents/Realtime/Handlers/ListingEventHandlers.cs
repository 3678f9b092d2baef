using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;
using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary><c>listing.subscribe</c> / <c>listing.unsubscribe</c>: watching a listing's updates, stock and views.</summary>
internal sealed class ListingEventHandlers(EventRouter router, ListingService listings) : IEventHandlerGroup
{
    public void Register(SocketIoSocket socket)
    {
        router.On<ListingSubscriptionRequest>(socket, EventNames.ListingSubscribe, ListingSubscriptionRequest.Read, async (context, request) =>
        {
            if (!await listings.ExistsAsync(request.ListingId, context.Socket.DisconnectToken).ConfigureAwait(false))
            {
                context.Fail(MarketplaceError.NotFound("Listing"));
                return;
            }
            context.Socket.Join(RoomNames.Listing(request.ListingId));
            context.Reply(AckSuccess.Instance);
        });

        router.On<ListingSubscriptionRequest>(socket, EventNames.ListingUnsubscribe, ListingSubscriptionRequest.Read, (context, request) =>
        {
            context.Socket.Leave(RoomNames.Listing(request.ListingId));
            context.Reply(AckSuccess.Instance);
            return Task.CompletedTask;
        });
    }
}
