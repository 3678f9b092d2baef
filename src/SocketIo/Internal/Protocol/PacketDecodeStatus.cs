namespace SocketIo.Internal.Protocol;

/// <summary>The outcome of feeding one message to the JSON packet decoder or to a <see cref="BinaryPacketAssembler"/>.</summary>
internal enum PacketDecodeStatus
{
    /// <summary>A whole packet is available.</summary>
    Complete,

    /// <summary>A BINARY_EVENT or BINARY_ACK header was read; its attachments follow as binary messages.</summary>
    AwaitingAttachments,

    /// <summary>The input breaks the protocol; the caller should close the connection.</summary>
    Invalid,
}
