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
        if (first == (byte)'b') return TryDecodeBase64(record[1..], out packet);

        var type = first - (byte)'0';
        if (type is < 0 or > (int)EnginePacketType.Noop) return false;
        packet = new IncomingPacket((EnginePacketType)type, IsBinary: false, record[1..]);
        return true;
    }

    /// <summary>
    /// Decodes one text-encoded packet of protocol v3: as in v4, except that base64 binary data is marked <c>b</c>
    /// followed by the packet type digit (always <c>4</c>, a message: nothing else carries binary data).
    /// </summary>
    public static bool TryDecodeTextV3(Memory<byte> record, out IncomingPacket packet)
    {
        if (record.IsEmpty || record.Span[0] != (byte)'b') return TryDecodeText(record, out packet);
        packet = default;
        return record.Length >= 2 && record.Span[1] == (byte)'0' + (byte)EnginePacketType.Message && TryDecodeBase64(record[2..], out packet);
    }

    /// <summary>A binary WebSocket frame of protocol v4 is always a message packet carrying the raw bytes.</summary>
    public static IncomingPacket FromBinaryFrame(ReadOnlyMemory<byte> frame) =>
        new(EnginePacketType.Message, IsBinary: true, frame);

    /// <summary>
    /// Decodes a binary packet of protocol v3 (a WebSocket binary frame, or a binary polling record): the packet type
    /// as a byte, then the data. Only a message may carry binary data.
    /// </summary>
    public static bool TryDecodeBinaryV3(ReadOnlyMemory<byte> frame, out IncomingPacket packet)
    {
        packet = default;
        if (frame.IsEmpty || frame.Span[0] != (byte)EnginePacketType.Message) return false;
        packet = new IncomingPacket(EnginePacketType.Message, IsBinary: true, frame[1..]);
        return true;
    }

    private static bool TryDecodeBase64(Memory<byte> base64, out IncomingPacket packet)
    {
        packet = default;
        if (Base64.DecodeFromUtf8InPlace(base64.Span, out var written) != System.Buffers.OperationStatus.Done) return false;
        packet = new IncomingPacket(EnginePacketType.Message, IsBinary: true, base64[..written]);
        return true;
    }
}
