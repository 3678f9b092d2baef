namespace SocketIo;

/// <summary>Why a socket disconnected (the reference server's reasons).</summary>
public enum DisconnectReason
{
    /// <summary>The connection was closed by the client ("transport close").</summary>
    TransportClose,

    /// <summary>The connection failed ("transport error").</summary>
    TransportError,

    /// <summary>The client stopped answering pings ("ping timeout").</summary>
    PingTimeout,

    /// <summary>The client sent a packet that could not be decoded ("parse error").</summary>
    ParseError,

    /// <summary>The connection was closed by the server ("forced close").</summary>
    ForcedClose,

    /// <summary>The server closed the connection because of a protocol violation or a connect timeout ("forced server close").</summary>
    ForcedServerClose,

    /// <summary>The server disconnected the socket with <see cref="SocketIoSocket.Disconnect"/> ("server namespace disconnect").</summary>
    ServerNamespaceDisconnect,

    /// <summary>The client disconnected the socket ("client namespace disconnect").</summary>
    ClientNamespaceDisconnect,

    /// <summary>The server is shutting down ("server shutting down").</summary>
    ServerShuttingDown,

    /// <summary>
    /// The client did not read what it was sent fast enough ("slow consumer"; not a reason of the reference server):
    /// its queued outgoing bytes passed <c>EngineIoOptions.MaxQueuedBytes</c>, or a write to it stalled for longer than
    /// the ping timeout.
    /// </summary>
    SlowConsumer,
}

/// <summary>Conversions of <see cref="DisconnectReason"/>.</summary>
public static class DisconnectReasonExtensions
{
    /// <summary>The reason as the reference server spells it, e.g. <c>"transport close"</c>.</summary>
    public static string ToProtocolString(this DisconnectReason reason) => reason switch
    {
        DisconnectReason.TransportClose => "transport close",
        DisconnectReason.TransportError => "transport error",
        DisconnectReason.PingTimeout => "ping timeout",
        DisconnectReason.ParseError => "parse error",
        DisconnectReason.ForcedClose => "forced close",
        DisconnectReason.ForcedServerClose => "forced server close",
        DisconnectReason.ServerNamespaceDisconnect => "server namespace disconnect",
        DisconnectReason.ClientNamespaceDisconnect => "client namespace disconnect",
        DisconnectReason.ServerShuttingDown => "server shutting down",
        DisconnectReason.SlowConsumer => "slow consumer",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>
    /// Whether a socket that disconnected for this reason is kept for connection state recovery, as in the reference
    /// server: the connection dropped (closed or failed transport, ping timeout, connection closed by the server, server
    /// shutting down, a slow consumer cut off). Never after an explicit disconnect of the socket by either side, nor after a parse error.
    /// </summary>
    internal static bool KeepsSession(this DisconnectReason reason) => reason is
        DisconnectReason.TransportClose or
        DisconnectReason.TransportError or
        DisconnectReason.PingTimeout or
        DisconnectReason.ForcedClose or
        DisconnectReason.ForcedServerClose or
        DisconnectReason.ServerShuttingDown or
        DisconnectReason.SlowConsumer;
}
