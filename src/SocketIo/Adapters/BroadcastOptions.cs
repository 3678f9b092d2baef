using System.Collections.Immutable;

namespace SocketIo.Adapters;

/// <summary>Who a broadcast reaches, and how. Immutable.</summary>
public sealed record BroadcastOptions
{
    /// <summary>Everyone in the namespace.</summary>
    public static BroadcastOptions Everyone { get; } = new();

    /// <summary>The rooms targeted; empty means every socket of the namespace.</summary>
    public ImmutableHashSet<string> Rooms { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Sockets in any of these rooms are left out.</summary>
    public ImmutableHashSet<string> Except { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Drop the packet for clients whose transport is not writable right now, rather than queue it.</summary>
    public bool Volatile { get; init; }

    /// <summary>Whether the transport may compress the packet.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>Only this server node's sockets (matters with a multi-node adapter).</summary>
    public bool Local { get; init; }

    /// <summary>How long to wait for acknowledgements, when the broadcast expects them.</summary>
    public TimeSpan? Timeout { get; init; }
}
