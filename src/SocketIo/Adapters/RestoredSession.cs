using SocketIo.Internal.Recovery;

namespace SocketIo.Adapters;

/// <summary>A session found again by <see cref="SocketIoAdapter.RestoreSessionAsync"/>, with the events its client missed.</summary>
public sealed class RestoredSession
{
    internal RestoredSession(PersistedSession session, IReadOnlyList<StoredPacket> missedPackets, long logEnd)
    {
        Session = session;
        MissedPackets = missedPackets;
        LogEnd = logEnd;
    }

    internal RestoredSession(PersistedSession session, IReadOnlyList<StoredPacket> missedPackets, string logPosition)
    {
        Session = session;
        MissedPackets = missedPackets;
        LogPosition = logPosition;
    }

    /// <summary>The session as it was persisted.</summary>
    public PersistedSession Session { get; }

    /// <summary>How many events the client missed; they are sent right after the CONNECT reply.</summary>
    public int MissedPacketCount => MissedPackets.Count;

    /// <summary>The missed events, oldest first, as encoded when they were first sent (offset included).</summary>
    internal IReadOnlyList<StoredPacket> MissedPackets { get; }

    /// <summary>The offset of the newest packet the store held at restore time: later ones are caught up when the socket attaches.</summary>
    internal long LogEnd { get; }

    /// <summary>For a cluster log: the offset of the last entry read while restoring (the client's offset when none).</summary>
    internal string? LogPosition { get; }
}
