using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;
using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary><c>presence.update</c>, <c>presence.typing</c> and <c>presence.activity</c> from clients.</summary>
internal sealed class PresenceEventHandlers(EventRouter router, PresenceService presence) : IEventHandlerGroup
{
    public void Register(SocketIoSocket socket)
    {
        router.On<PresenceStatusRequest>(socket, EventNames.PresenceUpdate, PresenceStatusRequest.Read, async (context, request) =>
        {
            await presence.SetStatusAsync(context.User, request.Status, context.Socket.DisconnectToken).ConfigureAwait(false);
            context.Reply(AckSuccess.Instance);
        });

        router.On<TypingRequest>(socket, EventNames.PresenceTyping, TypingRequest.Read, async (context, request) =>
        {
            var result = await presence.TypingAsync(context.User, request, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) context.Reply(AckSuccess.Instance);
            else context.Fail(result.Error, request.ConversationId);
        });

        router.On<ActivityRequest>(socket, EventNames.PresenceActivity, ActivityRequest.Read, async (context, request) =>
        {
            var result = await presence.ActivityAsync(context.User, context.Socket.Id, request, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) context.Reply(AckSuccess.Instance);
            else context.Fail(result.Error, request.ConversationId);
        });
    }
}
