using EngineIo;
using SocketIo.Internal.Protocol;

namespace SocketIo.Internal.Parsing;

/// <summary>The default format: the packet header and JSON as one text message, then each attachment as a binary message.</summary>
internal sealed class JsonPacketParser : IPacketParser
{
    public EngineMessage[] Encode(SocketIoPacket packet)
    {
        var messages = new EngineMessage[1 + packet.Attachments.Count];
        // Encoded straight into the message's frame.
        messages[0] = EngineMessage.Text(JsonPacketEncoder.GetEncodedLength(packet), packet, static (frame, packet) => JsonPacketEncoder.Encode(packet, frame));
        for (var i = 0; i < packet.Attachments.Count; i++) messages[i + 1] = EngineMessage.Binary(packet.Attachments[i]);
        return messages;
    }

    public IPacketDecoder CreateDecoder(DecoderLimits limits) => new Decoder(limits);

    private sealed class Decoder(DecoderLimits limits) : IPacketDecoder
    {
        private BinaryPacketAssembler? _pending;

        public bool TryDecodeText(ReadOnlySpan<byte> utf8, out SocketIoPacket? packet, out string? error)
        {
            packet = null;
            if (_pending is not null)
            {
                error = PacketDecodeErrors.UnexpectedText;
                return false;
            }
            switch (JsonPacketDecoder.Decode(utf8, limits, out var decoded, out var expected, out error))
            {
                case PacketDecodeStatus.Complete:
                    packet = decoded;
                    return true;
                case PacketDecodeStatus.AwaitingAttachments:
                    _pending = new BinaryPacketAssembler(decoded!, expected, limits);
                    return true;
                default:
                    return false;
            }
        }

        public bool TryDecodeBinary(ReadOnlyMemory<byte> data, out SocketIoPacket? packet, out string? error)
        {
            packet = null;
            if (_pending is null)
            {
                error = PacketDecodeErrors.UnexpectedAttachment;
                return false;
            }
            switch (_pending.Add(data.Span, out var decoded, out error))
            {
                case PacketDecodeStatus.Complete:
                    _pending = null;
                    packet = decoded;
                    return true;
                case PacketDecodeStatus.AwaitingAttachments:
                    return true;
                default:
                    _pending = null;
                    return false;
            }
        }
    }
}
