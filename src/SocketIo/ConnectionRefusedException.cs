namespace SocketIo;

/// <summary>
/// Thrown by a namespace middleware to refuse a connection. The client's <c>connect_error</c> handler receives an
/// error whose <c>message</c> is <see cref="Exception.Message"/> and whose <c>data</c> is <see cref="ErrorData"/>.
/// </summary>
public sealed class ConnectionRefusedException : Exception
{
    /// <summary>Creates a refusal.</summary>
    /// <param name="message">The message the client sees as <c>err.message</c>.</param>
    /// <param name="data">An object the client sees as <c>err.data</c> (serialized as JSON), or null.</param>
    public ConnectionRefusedException(string message, object? data = null)
        : base(message)
    {
        ErrorData = data;
    }

    /// <summary>The object sent to the client as <c>err.data</c>.</summary>
    /// <remarks>Not <see cref="Exception.Data"/>, the exception's own dictionary, which it would otherwise hide.</remarks>
    public object? ErrorData { get; }
}
