namespace SocketIo;

/// <summary>An incoming event: its name, its arguments, and the client's acknowledgement callback if it asked for one.</summary>
public sealed class SocketIoEvent
{
    internal SocketIoEvent(SocketIoSocket socket, string name, SocketIoArguments args, SocketIoAck? ack)
    {
        Socket = socket;
        Name = name;
        Args = args;
        Ack = ack;
    }

    /// <summary>The socket the event came from.</summary>
    public SocketIoSocket Socket { get; }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The arguments after the event name.</summary>
    public SocketIoArguments Args { get; }

    /// <summary>The acknowledgement callback, or null when the client did not ask for one.</summary>
    public SocketIoAck? Ack { get; }

    /// <summary>Whether the client asked for an acknowledgement.</summary>
    public bool HasAck => Ack is not null;
}
