using System.Text;
using System.Text.Unicode;

namespace SocketIo.Internal.Protocol;

/// <summary>
/// Decodes one text message of the default Socket.IO parser,
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON payload&gt;]</c>,
/// straight from its UTF-8 bytes (the Engine.IO "4" prefix is already removed). It follows the
/// reference socket.io-parser's decoder and its <c>isPacketValid</c> checks; where the reference
/// accepts input only through a JavaScript coercion quirk, this decoder is strict (see the remarks on
/// <see cref="Decode"/>). The decoder is stateless: attachments of a binary packet are collected by a
/// <see cref="BinaryPacketAssembler"/> the caller owns.
/// </summary>
internal static class JsonPacketDecoder
{
    /// <summary>JavaScript's Number.MAX_SAFE_INTEGER: the largest id a JavaScript peer can represent exactly.</summary>
    public const long MaxAckId = (1L << 53) - 1;

    private static readonly ReadOnlyMemory<byte>[] NoAttachments = [];

    /// <summary>
    /// Decodes <paramref name="message"/>. Never throws on bad input: every protocol violation is
    /// reported as <see cref="PacketDecodeStatus.Invalid"/> with a reason from
    /// <see cref="PacketDecodeErrors"/>.
    /// </summary>
    /// <returns>
    /// <see cref="PacketDecodeStatus.Complete"/> with the packet;
    /// <see cref="PacketDecodeStatus.AwaitingAttachments"/> with the header of a BINARY_EVENT or
    /// BINARY_ACK (no attachments yet) and how many attachments follow, to hand to a
    /// <see cref="BinaryPacketAssembler"/>; or <see cref="PacketDecodeStatus.Invalid"/> with the reason.
    /// </returns>
    /// <remarks>
    /// Deliberate differences from the reference, all of which reject input it would accept:
    /// an empty message (the reference reads <c>Number("")</c> as a CONNECT); an attachment count
    /// that is not plain ASCII digits (<c>1e0</c>, <c>0x1</c>, padded with spaces) or is 0; an ack id
    /// that is not plain ASCII digits or exceeds <see cref="MaxAckId"/>; an ACK without an id; EVENT,
    /// ACK or CONNECT_ERROR without a payload; JSON nested deeper than
    /// <see cref="DecoderLimits.MaxDepth"/>; bytes that are not UTF-8.
    /// </remarks>
    public static PacketDecodeStatus Decode(
        ReadOnlySpan<byte> message,
        DecoderLimits limits,
        out SocketIoPacket? packet,
        out int expectedAttachments,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);

        packet = null;
        expectedAttachments = 0;

        if (message.IsEmpty)
        {
            return Fail(PacketDecodeErrors.Empty, out error);
        }

        // The namespace becomes a string and the payload is handed on as UTF-8, so both must be
        // valid UTF-8; checking the whole message once is cheaper than checking the parts.
        if (!Utf8.IsValid(message))
        {
            return Fail(PacketDecodeErrors.InvalidUtf8, out error);
        }

        var typeDigit = message[0] - (byte)'0';
        if ((uint)typeDigit > (uint)PacketType.BinaryAck)
        {
            return Fail(PacketDecodeErrors.UnknownType, out error);
        }

        var type = (PacketType)typeDigit;
        var position = 1;

        // Attachment count, only for binary packets: digits terminated by '-'.
        var attachments = 0;
        if (type is PacketType.BinaryEvent or PacketType.BinaryAck)
        {
            var start = position;
            long count = 0;
            while (position < message.Length && IsDigit(message[position]))
            {
                // Saturate instead of overflowing: any value past the limit is rejected below anyway.
                count = Math.Min(count * 10 + (message[position] - '0'), int.MaxValue);
                position++;
            }

            if (position == start || position == message.Length || message[position] != (byte)'-' || count == 0)
            {
                // A count of 0 is refused: the reference accepts it but then keeps waiting for
                // attachments that never come, wedging its decoder.
                return Fail(PacketDecodeErrors.IllegalAttachmentCount, out error);
            }

            if (count > limits.MaxAttachments)
            {
                return Fail(PacketDecodeErrors.TooManyAttachments, out error);
            }

            attachments = (int)count;
            position++; // the '-'
        }

        // Namespace: from a leading '/' up to the first ',' (consumed) or the end of the message.
        var @namespace = "/";
        if (position < message.Length && message[position] == (byte)'/')
        {
            var rest = message[position..];
            var comma = rest.IndexOf((byte)',');
            var name = comma < 0 ? rest : rest[..comma];

            // "/" is by far the most common value and needs no allocation.
            if (name.Length > 1)
            {
                @namespace = Encoding.UTF8.GetString(name);
            }

            position += comma < 0 ? rest.Length : comma + 1;
        }

        // Ack id: the digits that follow. JavaScript peers hold ids as doubles, so an id they cannot
        // represent exactly is refused rather than silently rounded.
        long? id = null;
        if (position < message.Length && IsDigit(message[position]))
        {
            long value = 0;
            do
            {
                value = value * 10 + (message[position] - '0');
                if (value > MaxAckId)
                {
                    return Fail(PacketDecodeErrors.InvalidAckId, out error);
                }

                position++;
            }
            while (position < message.Length && IsDigit(message[position]));

            id = value;
        }

        var payload = message[position..];
        if (!JsonPayloadValidator.IsValid(type, payload, limits.MaxDepth))
        {
            return Fail(PacketDecodeErrors.InvalidPayload, out error);
        }

        // An ack is routed by its id; without one there is nothing to acknowledge.
        if (id is null && (type is PacketType.Ack or PacketType.BinaryAck))
        {
            return Fail(PacketDecodeErrors.MissingAckId, out error);
        }

        // The input buffer belongs to the transport and may be reused: keep a copy of the payload.
        var data = payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray();
        packet = new SocketIoPacket(type, @namespace, id, data, NoAttachments);
        expectedAttachments = attachments;
        error = null;
        return attachments > 0 ? PacketDecodeStatus.AwaitingAttachments : PacketDecodeStatus.Complete;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static PacketDecodeStatus Fail(string reason, out string? error)
    {
        error = reason;
        return PacketDecodeStatus.Invalid;
    }
}
