using EngineIo;
using SocketIo.Internal.Protocol;

namespace SocketIo.Internal.Parsing;

/// <summary>A wire format: stateless encoding, and a decoder per connection for the state between messages.</summary>
internal interface IPacketParser
{
    /// <summary>Encodes a packet into the Engine.IO messages that carry it, in order. The result is shared by every recipient.</summary>
    EngineMessage[] Encode(SocketIoPacket packet);

    IPacketDecoder CreateDecoder(DecoderLimits limits);
}

/// <summary>Decodes one connection's incoming messages, holding a binary packet while its attachments arrive.</summary>
internal interface IPacketDecoder
{
    /// <summary>Decodes a text message: a complete packet, a header awaiting attachments (null packet), or an error.</summary>
    bool TryDecodeText(ReadOnlySpan<byte> utf8, out SocketIoPacket? packet, out string? error);

    /// <summary>Decodes a binary message: a complete packet, an attachment still awaiting others (null packet), or an error.</summary>
    bool TryDecodeBinary(ReadOnlyMemory<byte> data, out SocketIoPacket? packet, out string? error);
}
