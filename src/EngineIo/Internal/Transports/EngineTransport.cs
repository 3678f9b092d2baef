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

    // The TimeProvider timestamp of the last progress of the write in progress (a frame or a payload written); 0 when
    // no write is in progress. Written by the transport's one writer, read by the session's heartbeat.
    private long _writeStalledSince;

    /// <summary>When the write in progress last made progress (a <see cref="TimeProvider"/> timestamp), or 0 if none is in progress.</summary>
    public long WriteStalledSince => Volatile.Read(ref _writeStalledSince);

    /// <summary>A write started or made progress.</summary>
    protected void OnWriteProgress() => Volatile.Write(ref _writeStalledSince, Math.Max(1, Session.Server.TimeProvider.GetTimestamp()));

    /// <summary>The writer has nothing more to write.</summary>
    protected void OnWriteIdle() => Volatile.Write(ref _writeStalledSince, 0);

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
