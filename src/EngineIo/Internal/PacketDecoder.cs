using System.Buffers.Text;

namespace EngineIo.Internal;

/// <summary>Decodes single Engine.IO packets from text (a WebSocket text frame or one polling record) or binary frames.</summary>
internal static class PacketDecoder
{
    /// <summary>
    /// Decodes one text-encoded packet: a type digit and its data, or <c>b</c> and base64 binary data. The buffer is
    /// writable because base64 is decoded in place, with no copy.
    /// </summary>
    public static bool TryDecodeText(Memory<byte> record, out IncomingPacket packet)
    {
        packet = default;
        if (record.IsEmpty) return false;

        var first = record.Span[0];
        if (first == (byte)'b')
        {
            var base64 = record[1..];
            if (Base64.DecodeFromUtf8InPlace(base64.Span, out var written) != System.Buffers.OperationStatus.Done) return false;
            packet = new IncomingPacket(EnginePacketType.Message, IsBinary: true, base64[..written]);
            return true;
        }

        var type = first - (byte)'0';
        if (type is < 0 or > (int)EnginePacketType.Noop) return false;
        packet = new IncomingPacket((EnginePacketType)type, IsBinary: false, record[1..]);
        return true;
    }

    /// <summary>A binary WebSocket frame of protocol v4 is always a message packet carrying the raw bytes.</summary>
    public static IncomingPacket FromBinaryFrame(ReadOnlyMemory<byte> frame) =>
        new(EnginePacketType.Message, IsBinary: true, frame);
}
