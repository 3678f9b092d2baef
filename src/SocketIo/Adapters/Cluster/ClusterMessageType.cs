namespace SocketIo.Adapters.Cluster;

/// <summary>The kinds of message nodes exchange, numbered as socket.io-adapter 2.5's <c>MessageType</c>.</summary>
public enum ClusterMessageType
{
    /// <summary>A node announces itself; every other node answers with a <see cref="Heartbeat"/>.</summary>
    InitialHeartbeat = 1,

    /// <summary>A node is alive.</summary>
    Heartbeat = 2,

    /// <summary>A packet for the matching sockets (with a request id: acknowledgements expected).</summary>
    Broadcast = 3,

    /// <summary>The matching sockets join rooms.</summary>
    SocketsJoin = 4,

    /// <summary>The matching sockets leave rooms.</summary>
    SocketsLeave = 5,

    /// <summary>The matching sockets are disconnected.</summary>
    DisconnectSockets = 6,

    /// <summary>A request for the matching sockets.</summary>
    FetchSockets = 7,

    /// <summary>One node's answer to <see cref="FetchSockets"/>.</summary>
    FetchSocketsResponse = 8,

    /// <summary>An event for the other servers (with a request id: answers expected).</summary>
    ServerSideEmit = 9,

    /// <summary>One node's answer to <see cref="ServerSideEmit"/>.</summary>
    ServerSideEmitResponse = 10,

    /// <summary>How many clients one node sent a broadcast with acknowledgements to.</summary>
    BroadcastClientCount = 11,

    /// <summary>One client's acknowledgement of a broadcast.</summary>
    BroadcastAck = 12,

    /// <summary>A node leaves the cluster.</summary>
    AdapterClose = 13,
}
