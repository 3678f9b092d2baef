namespace SocketIo;

/// <summary>
/// The client's callback for an event it sent with an acknowledgement. Only the first answer is sent; later ones
/// are ignored, as in the reference server.
/// </summary>
public sealed class SocketIoAck
{
    private readonly SocketIoSocket _socket;
    private readonly long _id;
    private int _sent;

    internal SocketIoAck(SocketIoSocket socket, long id)
    {
        _socket = socket;
        _id = id;
    }

    /// <summary>The acknowledgement id the client chose (the packet's id).</summary>
    internal long Id => _id;

    /// <summary>Whether an answer has already been sent.</summary>
    public bool IsSent => Volatile.Read(ref _sent) == 1;

    /// <summary>Answers the client with <paramref name="args"/>. Returns false if an answer was already sent.</summary>
    public bool Send(params object?[] args) => Send(new ReadOnlySpan<object?>(args));

    /// <summary>Answers the client with <paramref name="args"/>. Returns false if an answer was already sent.</summary>
    public bool Send(params ReadOnlySpan<object?> args)
    {
        if (Interlocked.Exchange(ref _sent, 1) == 1) return false;
        _socket.SendAck(_id, args);
        return true;
    }
}
