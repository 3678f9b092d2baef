namespace SocketIo;

/// <summary>
/// A socket found by <see cref="BroadcastOperator.FetchSocketsAsync"/>, on this node or on another node of the
/// cluster. Emitting to it, making it join or leave rooms and disconnecting it go through the adapter, so they work
/// wherever the socket lives.
/// </summary>
public sealed class RemoteSocket
{
    private readonly SocketIoNamespace _namespace;

    /// <summary>Creates the view of a socket (adapters build these from other nodes' answers).</summary>
    public RemoteSocket(SocketIoNamespace @namespace, string id, RemoteHandshake handshake, IReadOnlySet<string> rooms, object? data)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(handshake);
        ArgumentNullException.ThrowIfNull(rooms);
        _namespace = @namespace;
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
    }

    internal RemoteSocket(SocketIoSocket socket)
        : this(socket.Namespace, socket.Id, RemoteHandshake.From(socket.Handshake), socket.Rooms, socket.Data)
    {
        LocalSocket = socket;
    }

    /// <summary>The socket id.</summary>
    public string Id { get; }

    /// <summary>The socket's handshake.</summary>
    public RemoteHandshake Handshake { get; }

    /// <summary>The rooms the socket was in when it was fetched.</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>
    /// The socket's <see cref="SocketIoSocket.Data"/>: the object itself for a local socket, a
    /// <see cref="System.Text.Json.JsonElement"/> for a socket of another node.
    /// </summary>
    public object? Data { get; }

    /// <summary>The socket itself when it lives on this node, else null.</summary>
    public SocketIoSocket? LocalSocket { get; }

    /// <summary>Whether the socket lives on this node.</summary>
    public bool IsLocal => LocalSocket is not null;

    /// <summary>Emits an event to this socket, wherever it lives.</summary>
    public bool Emit(string eventName, params object?[] args) => _namespace.To(Id).Emit(eventName, args);

    /// <summary>Makes the socket join <paramref name="rooms"/>, wherever it lives.</summary>
    public Task JoinAsync(params string[] rooms) => _namespace.In(Id).SocketsJoinAsync(rooms);

    /// <summary>Makes the socket leave <paramref name="rooms"/>, wherever it lives.</summary>
    public Task LeaveAsync(params string[] rooms) => _namespace.In(Id).SocketsLeaveAsync(rooms);

    /// <summary>Disconnects the socket; with <paramref name="close"/>, closes its whole connection.</summary>
    public Task DisconnectAsync(bool close = false) => _namespace.In(Id).DisconnectSocketsAsync(close);
}
