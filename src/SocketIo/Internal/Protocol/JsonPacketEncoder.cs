using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Text;

namespace SocketIo.Internal.Protocol;

/// <summary>
/// Encodes a packet in the text form of the default Socket.IO parser,
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON payload&gt;]</c>,
/// as UTF-8. The Engine.IO "4" prefix is the transport's business and is not written; neither are
/// the attachments, which the caller sends after this message as separate binary messages, in the
/// order of <see cref="SocketIoPacket.Attachments"/>.
/// </summary>
/// <remarks>
/// Whether an event or ack is written as binary follows from its attachments, as in the reference
/// encoder (which switches EVENT to BINARY_EVENT when it finds binary in the data): with attachments
/// it is BINARY_EVENT/BINARY_ACK, without it is EVENT/ACK, whichever of the two the packet says.
/// This keeps "50-" headers, which a strict decoder refuses, off the wire.
/// </remarks>
internal static class JsonPacketEncoder
{
    /// <summary>Returns the number of bytes <see cref="Encode(SocketIoPacket, Span{byte})"/> writes for <paramref name="packet"/>.</summary>
    public static int GetEncodedLength(SocketIoPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return GetEncodedLength(packet, GetWireType(packet));
    }

    /// <summary>Writes <paramref name="packet"/> into <paramref name="writer"/> and returns the number of bytes written.</summary>
    public static int Encode(SocketIoPacket packet, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(writer);
        var type = GetWireType(packet);
        var length = GetEncodedLength(packet, type);
        var written = Write(packet, type, writer.GetSpan(length));
        writer.Advance(written);
        return written;
    }

    /// <summary>Returns <paramref name="packet"/> encoded in a new array of the exact size.</summary>
    public static byte[] Encode(SocketIoPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var type = GetWireType(packet);
        var buffer = new byte[GetEncodedLength(packet, type)];
        var written = Write(packet, type, buffer);
        Debug.Assert(written == buffer.Length, "GetEncodedLength and Write disagree.");
        return buffer;
    }

    /// <summary>
    /// Writes <paramref name="packet"/> into <paramref name="destination"/>, which must hold at least
    /// <see cref="GetEncodedLength(SocketIoPacket)"/> bytes, and returns the number of bytes written.
    /// </summary>
    public static int Encode(SocketIoPacket packet, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var type = GetWireType(packet);
        if (destination.Length < GetEncodedLength(packet, type))
        {
            throw new ArgumentException("The destination is too small for the encoded packet.", nameof(destination));
        }

        return Write(packet, type, destination);
    }

    private static int GetEncodedLength(SocketIoPacket packet, PacketType type)
    {
        var length = 1;
        if (type is PacketType.BinaryEvent or PacketType.BinaryAck)
        {
            length += CountDigits((ulong)packet.Attachments.Count) + 1;
        }

        if (HasExplicitNamespace(packet.Namespace))
        {
            length += Encoding.UTF8.GetByteCount(packet.Namespace) + 1;
        }

        if (packet.Id is { } id)
        {
            length += CountDigits((ulong)id);
        }

        return length + packet.Data.Length;
    }

    private static int Write(SocketIoPacket packet, PacketType type, Span<byte> destination)
    {
        var position = 0;
        destination[position++] = (byte)('0' + (int)type);

        if (type is PacketType.BinaryEvent or PacketType.BinaryAck)
        {
            position += WriteNumber(packet.Attachments.Count, destination[position..]);
            destination[position++] = (byte)'-';
        }

        if (HasExplicitNamespace(packet.Namespace))
        {
            position += Encoding.UTF8.GetBytes(packet.Namespace, destination[position..]);
            destination[position++] = (byte)',';
        }

        if (packet.Id is { } id)
        {
            position += WriteNumber(id, destination[position..]);
        }

        packet.Data.Span.CopyTo(destination[position..]);
        return position + packet.Data.Length;
    }

    /// <summary>The type to write (see the class remarks); also refuses packets that cannot be written faithfully.</summary>
    private static PacketType GetWireType(SocketIoPacket packet)
    {
        if (packet.Id < 0)
        {
            throw new ArgumentException("The ack id must not be negative.", nameof(packet));
        }

        var hasAttachments = packet.Attachments.Count > 0;
        switch (packet.Type)
        {
            case PacketType.Event:
            case PacketType.BinaryEvent:
                return hasAttachments ? PacketType.BinaryEvent : PacketType.Event;
            case PacketType.Ack:
            case PacketType.BinaryAck:
                return hasAttachments ? PacketType.BinaryAck : PacketType.Ack;
            default:
                if (hasAttachments)
                {
                    // They would be silently lost: only events and acks can carry binary.
                    throw new ArgumentException($"A {packet.Type} packet cannot carry attachments.", nameof(packet));
                }

                return packet.Type;
        }
    }

    // The reference writes the namespace unless it is "/" (or missing).
    private static bool HasExplicitNamespace(string? @namespace) => !string.IsNullOrEmpty(@namespace) && @namespace != "/";

    private static int WriteNumber(long value, Span<byte> destination)
    {
        var formatted = Utf8Formatter.TryFormat(value, destination, out var written);
        Debug.Assert(formatted, "The destination was sized by GetEncodedLength.");
        return written;
    }

    private static int CountDigits(ulong value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
