using System.Collections.Concurrent;

namespace Bench.ControlServer;

/// <summary>Rooms as copy-on-write arrays of members: a fan-out reads one array without locking.</summary>
internal sealed class RoomRegistry
{
    private readonly ConcurrentDictionary<string, ControlConnection[]> _rooms = new(StringComparer.Ordinal);

    public void Join(string room, ControlConnection connection) =>
        _rooms.AddOrUpdate(room, static (_, c) => [c], static (_, members, c) => [.. members, c], connection);

    public void Leave(string room, ControlConnection connection) =>
        _rooms.AddOrUpdate(room, static (_, _) => [], static (_, members, c) => Array.FindAll(members, m => m != c), connection);

    public ControlConnection[] Members(string room) => _rooms.TryGetValue(room, out var members) ? members : [];
}
