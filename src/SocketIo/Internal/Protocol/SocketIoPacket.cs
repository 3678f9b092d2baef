namespace SocketIo.Internal.Protocol;

/// <summary>
/// A Socket.IO packet in a format-neutral shape, shared by every parser (JSON text with binary
/// attachments, msgpack). The payload is always kept as UTF-8 JSON: binary values inside it are
/// JSON placeholders <c>{"_placeholder":true,"num":N}</c> that index <see cref="Attachments"/>.
/// A parser that carries binary natively (msgpack) converts to and from this shape, so the layers
/// above deal with one representation only.
/// </summary>
internal sealed class SocketIoPacket
{
    public SocketIoPacket(PacketType type, string @namespace, long? id, ReadOnlyMemory<byte> data, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        Type = type;
        Namespace = @namespace;
        Id = id;
        Data = data;
        Attachments = attachments;
    }

    /// <summary>The packet type. For packets with attachments this is <see cref="PacketType.BinaryEvent"/> or <see cref="PacketType.BinaryAck"/>.</summary>
    public PacketType Type { get; }

    /// <summary>The namespace, <c>"/"</c> for the main namespace.</summary>
    public string Namespace { get; }

    /// <summary>The acknowledgement id, if any (a non-negative integer).</summary>
    public long? Id { get; }

    /// <summary>The payload as UTF-8 JSON (an array for events and acks, an object for CONNECT and CONNECT_ERROR); empty when absent.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The binary attachments the placeholders in <see cref="Data"/> refer to, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    public bool HasData => !Data.IsEmpty;
}
