using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;
using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary><c>pool.subscribe</c> / <c>pool.unsubscribe</c>: watching a buying pool's <c>pool.progress</c>.</summary>
internal sealed class PoolEventHandlers(EventRouter router, PoolService pools) : IEventHandlerGroup
{
    public void Register(SocketIoSocket socket)
    {
        router.On<PoolSubscriptionRequest>(socket, "pool.subscribe", PoolSubscriptionRequest.Read, async (context, request) =>
        {
            if (!await pools.ExistsAsync(request.PoolId, context.Socket.DisconnectToken).ConfigureAwait(false))
            {
                context.Fail(MarketplaceError.NotFound("Pool"));
                return;
            }
            context.Socket.Join(PoolService.Room(request.PoolId));
            context.Reply(AckSuccess.Instance);
        });

        router.On<PoolSubscriptionRequest>(socket, "pool.unsubscribe", PoolSubscriptionRequest.Read, (context, request) =>
        {
            context.Socket.Leave(PoolService.Room(request.PoolId));
            context.Reply(AckSuccess.Instance);
            return Task.CompletedTask;
        });
    }
}
