namespace SocketIo;

/// <summary>
/// An acknowledgement did not arrive in time. For a broadcast, <see cref="Responses"/> holds the answers that did
/// arrive before the deadline.
/// </summary>
public sealed class SocketIoAckTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public SocketIoAckTimeoutException(IReadOnlyList<SocketIoArguments> responses)
        : base("operation has timed out")
    {
        Responses = responses;
    }

    /// <summary>The answers received before the timeout.</summary>
    public IReadOnlyList<SocketIoArguments> Responses { get; }
}
