using SocketIo.Internal.Protocol;

namespace SocketIo.Adapters;

/// <summary>
/// An event packet handed to an adapter for a broadcast: the namespace, the payload as a UTF-8 JSON array
/// (<c>["event", ...args]</c>, binary values as <c>{"_placeholder":true,"num":N}</c> placeholders) and the binary
/// attachments the placeholders index. An adapter forwards it to other nodes in its own wire format, and builds one
/// from a message received from another node to deliver it locally. Immutable.
/// </summary>
public sealed class AdapterPacket
{
    internal AdapterPacket(SocketIoPacket packet)
    {
        Packet = packet;
    }

    /// <summary>Creates a packet from a message received from another node.</summary>
    /// <param name="namespace">The namespace name, such as <c>/</c>.</param>
    /// <param name="data">The UTF-8 JSON array <c>["event", ...args]</c>, binary values as placeholders.</param>
    /// <param name="attachments">The binary values the placeholders index, in order.</param>
    /// <param name="ackId">The acknowledgement id, for a broadcast expecting acknowledgements.</param>
    public AdapterPacket(string @namespace, ReadOnlyMemory<byte> data, IReadOnlyList<ReadOnlyMemory<byte>> attachments, long? ackId = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(attachments);
        if (data.IsEmpty) throw new ArgumentException("An event packet needs a payload.", nameof(data));
        var type = attachments.Count > 0 ? PacketType.BinaryEvent : PacketType.Event;
        Packet = new SocketIoPacket(type, @namespace, ackId, data, attachments);
    }

    /// <summary>The namespace name.</summary>
    public string Namespace => Packet.Namespace;

    /// <summary>The payload, a UTF-8 JSON array with binary placeholders.</summary>
    public ReadOnlyMemory<byte> Data => Packet.Data;

    /// <summary>The binary attachments, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments => Packet.Attachments;

    /// <summary>The acknowledgement id when the broadcast expects acknowledgements, else null.</summary>
    public long? AckId => Packet.Id;

    internal SocketIoPacket Packet { get; }
}
