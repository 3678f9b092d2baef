using MarketplaceEvents.Presence;
using SocketIo;

namespace MarketplaceEvents.Realtime;

/// <summary><see cref="IRealtimeEmitter"/> over the Socket.IO server's rooms.</summary>
internal sealed class SocketIoRealtimeEmitter(SocketIoServer io, IPresenceRegistry presence) : IRealtimeEmitter
{
    public void ToUsers(IEnumerable<string> userIds, string eventName, object payload)
    {
        var rooms = userIds.Select(RoomNames.User).ToArray();
        // A broadcast to no room would reach everyone.
        if (rooms.Length == 0) return;
        io.To(rooms).Emit(eventName, payload);
    }

    public void ToListingWatchers(string listingId, string eventName, object payload, string? exceptSocketId = null)
    {
        var target = io.To(RoomNames.Listing(listingId));
        if (exceptSocketId is not null) target = target.Except(exceptSocketId);
        target.Emit(eventName, payload);
    }

    public void ToEveryone(string eventName, object payload) => io.To(RoomNames.Authenticated).Emit(eventName, payload);

    public Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default) => presence.IsOnlineAsync(userId, cancellationToken);
}
