using System.Collections.Immutable;
using EngineIo;

namespace SocketIo.Internal.Recovery;

/// <summary>
/// An event kept for clients that come back: its offset, the exact messages sent the first time (so a replay costs no
/// encoding), and the audience it was sent to, to decide which restored sessions missed it. A packet of a cluster
/// log (Redis Streams) has the log's offset in <see cref="LogOffset"/> instead of a number.
/// </summary>
internal sealed record StoredPacket(
    long Offset,
    EngineMessage[] Messages,
    bool Compress,
    ImmutableHashSet<string> Rooms,
    ImmutableHashSet<string> Except,
    DateTimeOffset EmittedAt,
    string? LogOffset = null)
{
    /// <summary>Whether a socket in <paramref name="sessionRooms"/> was an audience of this packet.</summary>
    public bool IsFor(IReadOnlyCollection<string> sessionRooms)
    {
        var included = Rooms.IsEmpty;
        foreach (var room in sessionRooms)
        {
            if (Except.Contains(room)) return false;
            if (!included && Rooms.Contains(room)) included = true;
        }
        return included;
    }
}
