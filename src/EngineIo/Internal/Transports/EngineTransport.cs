namespace EngineIo.Internal.Transports;

/// <summary>
/// A session's way to the client. The session owns the write buffer and decides what goes out; a transport only
/// writes the batches it is handed and reports what arrives. Its mutable state is guarded by the session's lock.
/// </summary>
internal abstract class EngineTransport
{
    protected EngineTransport(EngineSession session)
    {
        Session = session;
    }

    protected EngineSession Session { get; }

    /// <summary>The transport's protocol name: <c>polling</c> or <c>websocket</c>.</summary>
    public abstract string Name { get; }

    public abstract EngineIoTransports Kind { get; }

    /// <summary>Whether a batch can be handed over now. Read and written under the session's lock.</summary>
    public bool IsWritable { get; set; }

    /// <summary>
    /// Whether the writer that just finished a batch may go straight on with the next one (WebSocket), rather than
    /// wait for the client to ask again (polling).
    /// </summary>
    public abstract bool CanContinueWriting { get; }

    /// <summary>
    /// Writes a batch. The caller took <see cref="IsWritable"/> under the session's lock, which makes it the only
    /// writer; the transport reports completion through <see cref="EngineSession.OnBatchWritten"/>.
    /// </summary>
    public abstract void Send(List<OutgoingPacket> batch);

    /// <summary>
    /// Writes a batch like <see cref="Send"/>, but starts the write on the thread pool instead of the caller's
    /// thread. Transports whose writes never run on the caller's thread need not override it.
    /// </summary>
    public virtual void SendDeferred(List<OutgoingPacket> batch) => Send(batch);

    /// <summary>The session moved to another transport: release what this one holds, without closing the session.</summary>
    public abstract void Discard();

    /// <summary>The session closed: answer or close whatever this transport holds.</summary>
    public abstract void Shutdown(EngineCloseReason reason);
}
