using EngineIo;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Protocol.MsgPack;

namespace SocketIo.Internal.Parsing;

/// <summary>
/// The msgpack format (npm <c>socket.io-msgpack-parser</c>): every packet is one binary message, binary values
/// included, so no decoder state is kept between messages.
/// </summary>
internal sealed class MsgPackParser : IPacketParser
{
    private readonly MsgPackPacketParser _codec = new();

    public EngineMessage[] Encode(SocketIoPacket packet) => [EngineMessage.Binary(_codec.Encode(packet))];

    public IPacketDecoder CreateDecoder(DecoderLimits limits) => new Decoder(new MsgPackPacketParser(limits.MaxDepth, limits.MaxAttachments));

    private sealed class Decoder(MsgPackPacketParser codec) : IPacketDecoder
    {
        public bool TryDecodeText(ReadOnlySpan<byte> utf8, out SocketIoPacket? packet, out string? error)
        {
            packet = null;
            error = "text message under the msgpack parser";
            return false;
        }

        public bool TryDecodeBinary(ReadOnlyMemory<byte> data, out SocketIoPacket? packet, out string? error) =>
            codec.TryDecode(data, out packet, out error);
    }
}
