using System.Buffers;
using System.Text;

namespace EngineIo.Internal;

/// <summary>
/// Decodes a protocol v3 polling payload. A text payload is a run of <c>&lt;length&gt;:&lt;packet&gt;</c> records
/// whose lengths count UTF-16 code units (the unit of a JavaScript string), not bytes. A binary payload, which
/// clients with XHR2 send as <c>application/octet-stream</c>, is a run of
/// <c>&lt;0 text | 1 binary&gt; &lt;length as one byte per decimal digit&gt; 0xFF &lt;packet&gt;</c> records whose
/// lengths count bytes. As for v4, the whole payload is validated before anything is handed on.
/// </summary>
internal static class PayloadDecoderV3
{
    // More digits than any payload under the 2^31-1-byte limit can need: a longer length is malformed.
    private const int MaxLengthDigits = 10;

    private const byte TextRecord = 0;
    private const byte BinaryRecord = 1;
    private const byte LengthTerminator = 0xFF;

    /// <summary>Decodes a text payload (UTF-8 on the wire). False when it is malformed in any way.</summary>
    public static bool TryDecodeText(Memory<byte> payload, List<IncomingPacket> packets)
    {
        // The reference treats an empty body as a parse error too.
        if (payload.IsEmpty) return false;

        var position = 0;
        while (position < payload.Length)
        {
            if (!TryReadTextLength(payload.Span, ref position, out var units)) return false;
            var start = position;
            if (!TrySkipUtf16Units(payload.Span, ref position, units)) return false;

            // "0:" is an empty record: legal, and nothing to deliver.
            if (position == start) continue;
            if (!PacketDecoder.TryDecodeTextV3(payload[start..position], out var packet)) return false;
            packets.Add(packet);
        }
        return true;
    }

    /// <summary>Decodes a binary payload. False when it is malformed in any way.</summary>
    public static bool TryDecodeBinary(Memory<byte> payload, List<IncomingPacket> packets)
    {
        if (payload.IsEmpty) return false;

        var position = 0;
        while (position < payload.Length)
        {
            var kind = payload.Span[position++];
            if (kind is not (TextRecord or BinaryRecord)) return false;
            if (!TryReadBinaryLength(payload.Span, ref position, out var length)) return false;

            var record = payload.Slice(position, length);
            position += length;
            IncomingPacket packet;
            // A text record holds the packet's UTF-8 bytes, type digit first.
            var decoded = kind == TextRecord ? PacketDecoder.TryDecodeTextV3(record, out packet) : PacketDecoder.TryDecodeBinaryV3(record, out packet);
            if (!decoded) return false;
            packets.Add(packet);
        }
        return true;
    }

    /// <summary>Reads the ASCII digits before a <c>:</c>.</summary>
    private static bool TryReadTextLength(ReadOnlySpan<byte> payload, ref int position, out int units)
    {
        units = 0;
        var digits = 0;
        while (position < payload.Length && payload[position] != (byte)':')
        {
            var digit = payload[position] - (byte)'0';
            if ((uint)digit > 9 || ++digits > MaxLengthDigits) return false;
            var value = units * 10L + digit;
            // Every UTF-16 unit takes at least one byte: a longer record cannot fit in what is left.
            if (value > payload.Length) return false;
            units = (int)value;
            position++;
        }
        if (digits == 0 || position == payload.Length) return false;
        position++; // the ':'
        return true;
    }

    /// <summary>Advances over <paramref name="units"/> UTF-16 code units of UTF-8 text, which must end on a character boundary.</summary>
    private static bool TrySkipUtf16Units(ReadOnlySpan<byte> payload, ref int position, int units)
    {
        while (units > 0)
        {
            if (Rune.DecodeFromUtf8(payload[position..], out var rune, out var consumed) != OperationStatus.Done) return false;
            // A length that ends between the two halves of a surrogate pair points into the middle of a character.
            units -= rune.Utf16SequenceLength;
            if (units < 0) return false;
            position += consumed;
        }
        return true;
    }

    /// <summary>Reads the length of a binary payload record: one byte per decimal digit (0 to 9), then 0xFF.</summary>
    private static bool TryReadBinaryLength(ReadOnlySpan<byte> payload, ref int position, out int length)
    {
        length = 0;
        var digits = 0;
        while (position < payload.Length && payload[position] != LengthTerminator)
        {
            var digit = payload[position];
            if (digit > 9 || ++digits > MaxLengthDigits) return false;
            var value = length * 10L + digit;
            if (value > payload.Length) return false;
            length = (int)value;
            position++;
        }
        if (digits == 0 || position == payload.Length) return false;
        position++; // the 0xFF
        return length <= payload.Length - position;
    }
}
