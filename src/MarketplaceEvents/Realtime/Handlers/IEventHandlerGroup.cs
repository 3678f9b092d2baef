using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary>A group of the contract's events (chat, presence, …) registering its handlers on each new socket.</summary>
internal interface IEventHandlerGroup
{
    void Register(SocketIoSocket socket);
}
