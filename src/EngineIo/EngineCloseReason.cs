namespace EngineIo;

/// <summary>Why an Engine.IO session closed. Every close carries exactly one reason.</summary>
public enum EngineCloseReason
{
    /// <summary>The client closed the transport (a close packet, or the WebSocket closed cleanly).</summary>
    TransportClose,

    /// <summary>The transport failed: connection lost, overlapping requests, a payload over the limit, a protocol violation.</summary>
    TransportError,

    /// <summary>The client did not answer a ping within the ping timeout.</summary>
    PingTimeout,

    /// <summary>The client sent a packet that could not be decoded.</summary>
    ParseError,

    /// <summary>The server closed the session on purpose (<see cref="EngineSession.Close()"/>).</summary>
    ForcedClose,

    /// <summary>The server is shutting down.</summary>
    ServerShutdown,
}
