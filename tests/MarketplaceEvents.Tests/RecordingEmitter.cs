using System.Collections.Concurrent;
using MarketplaceEvents.Realtime;

namespace MarketplaceEvents.Tests;

/// <summary>An <see cref="IRealtimeEmitter"/> that remembers every emit; tests set who is online.</summary>
internal sealed class RecordingEmitter : IRealtimeEmitter
{
    public ConcurrentQueue<Emitted> Emits { get; } = new();

    public HashSet<string> Online { get; } = new(StringComparer.Ordinal);

    public void ToUsers(IEnumerable<string> userIds, string eventName, object payload) =>
        Emits.Enqueue(new Emitted("users:" + string.Join(",", userIds.Order(StringComparer.Ordinal)), eventName, payload));

    public void ToListingWatchers(string listingId, string eventName, object payload, string? exceptSocketId = null) =>
        Emits.Enqueue(new Emitted("listing:" + listingId + (exceptSocketId is null ? "" : " except " + exceptSocketId), eventName, payload));

    public void ToEveryone(string eventName, object payload) => Emits.Enqueue(new Emitted("everyone", eventName, payload));

    public Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default) => Task.FromResult(Online.Contains(userId));

    public IReadOnlyList<Emitted> Of(string eventName) => Emits.Where(e => e.EventName == eventName).ToArray();

    public sealed record Emitted(string Target, string EventName, object Payload);
}
