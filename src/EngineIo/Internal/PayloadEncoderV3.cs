namespace EngineIo.Internal;

/// <summary>
/// Encodes packets into a protocol v3 polling payload (the formats are described on <see cref="PayloadDecoderV3"/>).
/// Binary messages go out as base64 text records unless the client can take a binary payload, in which case a batch
/// that holds any binary message is written as one.
/// </summary>
internal static class PayloadEncoderV3
{
    private const byte TextRecord = 0;
    private const byte BinaryRecord = 1;
    private const byte LengthTerminator = 0xFF;

    /// <summary>Whether the batch must go out as a binary payload for a client that supports one.</summary>
    public static bool NeedsBinaryPayload(IReadOnlyList<OutgoingPacket> packets)
    {
        foreach (var packet in packets)
        {
            if (packet.Message.IsBinary) return true;
        }
        return false;
    }

    public static int GetTextLength(IReadOnlyList<OutgoingPacket> packets)
    {
        var length = 0;
        foreach (var packet in packets)
        {
            var message = packet.Message;
            var recordBytes = TextRecordOf(message).Length;
            length += CountDigits(Utf16LengthOf(message, recordBytes)) + 1 + recordBytes;
        }
        return length;
    }

    public static void EncodeText(IReadOnlyList<OutgoingPacket> packets, Span<byte> destination)
    {
        var offset = 0;
        foreach (var packet in packets)
        {
            var message = packet.Message;
            var record = TextRecordOf(message);
            offset += WriteAsciiDigits(Utf16LengthOf(message, record.Length), destination[offset..]);
            destination[offset++] = (byte)':';
            record.CopyTo(destination[offset..]);
            offset += record.Length;
        }
    }

    public static int GetBinaryLength(IReadOnlyList<OutgoingPacket> packets)
    {
        var length = 0;
        foreach (var packet in packets)
        {
            var recordBytes = BinaryRecordOf(packet.Message).Length;
            length += 1 + CountDigits(recordBytes) + 1 + recordBytes;
        }
        return length;
    }

    public static void EncodeBinary(IReadOnlyList<OutgoingPacket> packets, Span<byte> destination)
    {
        var offset = 0;
        foreach (var packet in packets)
        {
            var message = packet.Message;
            var record = BinaryRecordOf(message);
            destination[offset++] = message.IsBinary ? BinaryRecord : TextRecord;
            // The length is written one decimal digit per byte, each byte the digit's value (0 to 9), not its ASCII code.
            var digits = WriteAsciiDigits(record.Length, destination[offset..]);
            for (var i = 0; i < digits; i++) destination[offset + i] -= (byte)'0';
            offset += digits;
            destination[offset++] = LengthTerminator;
            record.CopyTo(destination[offset..]);
            offset += record.Length;
        }
    }

    private static ReadOnlySpan<byte> TextRecordOf(EngineMessage message) =>
        message.IsBinary ? message.Base64PacketV3.Span : message.TextFrame;

    // A text record in a binary payload is the packet's UTF-8 bytes, counted in bytes.
    private static ReadOnlySpan<byte> BinaryRecordOf(EngineMessage message) =>
        message.IsBinary ? message.BinaryFrameV3.Span : message.TextFrame;

    // Base64 records are ASCII: one UTF-16 unit per byte.
    private static int Utf16LengthOf(EngineMessage message, int recordBytes) => message.IsBinary ? recordBytes : message.TextFrameUtf16Length;

    private static int CountDigits(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static int WriteAsciiDigits(int value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
}
