using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Services;
using SocketIo;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// One incoming event being handled: who sent it, and the ways to answer. The answering rules of the contract
/// live here: a refusal of the protocol (invalid payload, rate limit, not authenticated) gets an <c>error</c> event
/// and, when the client asked for one, a failed acknowledgement; a refused operation gets the failed
/// acknowledgement, or without one a <c>chat.error</c> (chat events) or an <c>error</c> (the others).
/// </summary>
internal sealed class EventContext(SocketIoEvent e, ConnectionState state, TimeProvider time)
{
    public SocketIoSocket Socket => e.Socket;

    public string EventName => e.Name;

    public ConnectionState State => state;

    /// <summary>The authenticated user (handlers that require authentication only run when there is one).</summary>
    public UserIdentity User => state.User ?? throw new InvalidOperationException("The socket is not authenticated.");

    public bool HasAck => e.HasAck;

    /// <summary>Acknowledges with <paramref name="payload"/> when the client asked for an acknowledgement.</summary>
    public void Reply(object payload) => e.Ack?.Send(payload);

    /// <summary>Answers a refusal of the protocol: <c>error</c> {code, message, retryAfter?}, and the error ack.</summary>
    public void Reject(string code, string message, int? retryAfter = null)
    {
        Socket.Emit(EventNames.Error, new ErrorEvent(code, message, retryAfter));
        e.Ack?.Send(new AckFailure(new AckError(code, message, retryAfter)));
    }

    /// <summary>Answers a refused operation.</summary>
    public void Fail(MarketplaceError error, string? conversationId = null, string? messageId = null)
    {
        if (e.Ack is { } ack)
        {
            ack.Send(new AckFailure(new AckError(error.Code, error.Message)));
        }
        else if (EventName.StartsWith("chat.", StringComparison.Ordinal))
        {
            Socket.Emit(EventNames.ChatError, new ChatErrorEvent(error.Code, error.Message, conversationId, messageId, Timestamps.ToIso(time.GetUtcNow())));
        }
        else
        {
            Socket.Emit(EventNames.Error, new ErrorEvent(error.Code, error.Message));
        }
    }
}
