namespace EngineIo;

/// <summary>The low-level transports a server accepts.</summary>
[Flags]
public enum EngineIoTransports
{
    /// <summary>No transport (a server with no transport accepts nothing).</summary>
    None = 0,

    /// <summary>HTTP long-polling: long-running GETs receive, short POSTs send.</summary>
    Polling = 1,

    /// <summary>WebSocket, opened directly or as an upgrade of a polling session.</summary>
    WebSocket = 2,

    /// <summary>Both transports (the default).</summary>
    All = Polling | WebSocket,
}
