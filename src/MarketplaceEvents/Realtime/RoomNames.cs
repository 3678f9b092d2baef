namespace MarketplaceEvents.Realtime;

/// <summary>
/// The Socket.IO rooms of the service. Every authenticated socket is in its user's room (so "every connection of a
/// user" is one room) and in <see cref="Authenticated"/>; <c>listing.subscribe</c> adds a listing's room.
/// </summary>
internal static class RoomNames
{
    public const string Authenticated = "authenticated";

    public static string User(string userId) => "user:" + userId;

    public static string Listing(string listingId) => "listing:" + listingId;
}
