using SocketIo.Internal;

namespace SocketIo.Adapters;

/// <summary>
/// Keeps track of the rooms of one namespace and delivers broadcasts. The default keeps everything in memory on
/// this node; a multi-node adapter also forwards broadcasts and room operations to the other nodes.
/// </summary>
public abstract class SocketIoAdapter
{
    // Above this many recipients, a broadcast starts each socket write on the thread pool instead of writing
    // inline: one thread writing to a thousand sockets was the bottleneck of a large room (measured in
    // bench/results), while for small rooms the extra hop per write cost more than it saved.
    private const int InlineWriteLimit = 128;

    /// <summary>Creates an adapter for <paramref name="namespace"/>.</summary>
    protected SocketIoAdapter(SocketIoNamespace @namespace)
    {
        Namespace = @namespace;
    }

    /// <summary>The namespace whose rooms this adapter keeps.</summary>
    public SocketIoNamespace Namespace { get; }

    /// <summary>Adds a socket to rooms.</summary>
    public abstract void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a socket from a room.</summary>
    public abstract void Delete(string socketId, string room);

    /// <summary>Removes a socket from every room.</summary>
    public abstract void DeleteAll(string socketId);

    /// <summary>The rooms a socket is in (a snapshot), or an empty set.</summary>
    public abstract IReadOnlySet<string> SocketRooms(string socketId);

    /// <summary>The rooms that have at least one socket (a snapshot).</summary>
    public abstract IReadOnlyCollection<string> Rooms { get; }

    /// <summary>The ids of the local sockets a broadcast with <paramref name="options"/> reaches.</summary>
    public abstract IReadOnlyList<string> SocketIds(BroadcastOptions options);

    /// <summary>The local sockets a broadcast with <paramref name="options"/> reaches.</summary>
    public virtual ValueTask<IReadOnlyList<SocketIoSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var ids = SocketIds(options);
        var sockets = new List<SocketIoSocket>(ids.Count);
        foreach (var id in ids)
        {
            if (Namespace.TryGetSocket(id, out var socket)) sockets.Add(socket);
        }
        return ValueTask.FromResult<IReadOnlyList<SocketIoSocket>>(sockets);
    }

    /// <summary>Makes the matching sockets join <paramref name="rooms"/>.</summary>
    public virtual void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var id in SocketIds(options)) AddAll(id, rooms);
    }

    /// <summary>Makes the matching sockets leave <paramref name="rooms"/>.</summary>
    public virtual void DeleteSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var id in SocketIds(options))
        {
            foreach (var room in rooms) Delete(id, room);
        }
    }

    /// <summary>Disconnects the matching sockets; with <paramref name="close"/>, closes their whole connection.</summary>
    public virtual void DisconnectSockets(BroadcastOptions options, bool close)
    {
        foreach (var id in SocketIds(options))
        {
            if (Namespace.TryGetSocket(id, out var socket)) socket.Disconnect(close);
        }
    }

    /// <summary>
    /// Sends an encoded packet to the matching sockets. The packet is encoded once by the caller; the same bytes go
    /// to every recipient.
    /// </summary>
    internal virtual void Broadcast(EncodedPacket packet, BroadcastOptions options, Action<SocketIoSocket>? onRecipient = null)
    {
        var ids = SocketIds(options);
        // A large broadcast only queues to each recipient and lets the thread pool run the writes in parallel. The
        // packets of each socket stay in order: they are queued here, in order, whichever thread writes them.
        var deferWrites = ids.Count > InlineWriteLimit;
        foreach (var id in ids)
        {
            if (!Namespace.TryGetSocket(id, out var socket)) continue;
            onRecipient?.Invoke(socket);
            socket.Client.Send(packet.Messages, options.Volatile, options.Compress, deferWrites);
        }
    }

    /// <summary>Sends an event to the other server nodes (none with the in-memory adapter).</summary>
    public virtual void ServerSideEmit(string eventName, object?[] args)
    {
    }
}
