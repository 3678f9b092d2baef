using EngineIo;

namespace SocketIo;

/// <summary>A Socket.IO client over an Engine.IO session (polling or WebSocket, any protocol revision).</summary>
internal sealed class EngineClientConnection : ClientConnection
{
    private readonly EngineSession _session;

    public EngineClientConnection(SocketIoServer server, EngineSession session)
        : base(server)
    {
        _session = session;
    }

    public override string ConnectionId => _session.Id;

    public override EngineRequestInfo Request => _session.Request;

    public override EngineSession Session => _session;

    public override string TransportName => _session.TransportName;

    /// <summary>
    /// Whether this is a Socket.IO 2.x client: Engine.IO protocol v3 underneath, Socket.IO protocol v4 on top. Such
    /// a client is joined to the main namespace without asking, passes its handshake data in the query of the
    /// namespace it joins, and reads socket ids and connection errors in their older forms.
    /// </summary>
    public override bool IsLegacyClient => _session.ProtocolVersion == 3;

    protected override bool IsTransportOpen => _session.IsOpen;

    /// <summary>
    /// Queues the messages on the session. A broadcast defers the socket write to the thread pool (see
    /// <see cref="EngineSession.Send(EngineMessage, bool, bool)"/>).
    /// </summary>
    public override bool TrySend(EngineMessage[] messages, bool isVolatile, bool compress, bool deferWrite)
    {
        if (isVolatile && !_session.IsWritable) return false;
        foreach (var message in messages) _session.Send(message, compress, deferWrite);
        return true;
    }

    protected override void CloseTransport() => _session.Close();
}
