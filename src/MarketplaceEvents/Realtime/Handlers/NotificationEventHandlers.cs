using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;
using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary><c>notification.read</c>: a user marks one of their notifications read.</summary>
internal sealed class NotificationEventHandlers(EventRouter router, NotificationService notifications) : IEventHandlerGroup
{
    public void Register(SocketIoSocket socket)
    {
        router.On<NotificationReadRequest>(socket, EventNames.NotificationRead, NotificationReadRequest.Read, async (context, request) =>
        {
            var result = await notifications.MarkReadAsync(context.User, request.Id, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) context.Reply(result.Value);
            else context.Fail(result.Error);
        });
    }
}
