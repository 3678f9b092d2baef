namespace EngineIo;

/// <summary>
/// What the layer above the engine (Socket.IO, or an application) implements to receive sessions and their messages.
/// Calls for one session never overlap: each message is handled before the next is read.
/// </summary>
public interface IEngineIoHandler
{
    /// <summary>A session was opened; its handshake has been queued to the client.</summary>
    void OnOpened(EngineSession session);

    /// <summary>
    /// A text message arrived, as UTF-8 bytes. The memory is only valid until the returned task completes: copy
    /// what must outlive the call.
    /// </summary>
    ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8);

    /// <summary>
    /// A binary message arrived. The memory is only valid until the returned task completes: copy what must outlive
    /// the call.
    /// </summary>
    ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data);

    /// <summary>The session closed; called exactly once per session, after which it sends nothing.</summary>
    void OnClosed(EngineSession session, EngineCloseReason reason, string? description);
}
