using System.Buffers;

namespace EngineIo.Internal;

/// <summary>Encodes packets into a protocol v4 polling payload.</summary>
internal static class PayloadEncoder
{
    public static int GetLength(IReadOnlyList<OutgoingPacket> packets)
    {
        // One separator between each two records, and none at all for an empty batch (not -1).
        var length = Math.Max(packets.Count - 1, 0);
        for (var i = 0; i < packets.Count; i++) length += packets[i].Message.PollingRecord.Length;
        return length;
    }

    public static void Encode(IReadOnlyList<OutgoingPacket> packets, Span<byte> destination)
    {
        var offset = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            if (i > 0) destination[offset++] = PayloadDecoder.RecordSeparator;
            var record = packets[i].Message.PollingRecord.Span;
            record.CopyTo(destination[offset..]);
            offset += record.Length;
        }
    }

    public static void Encode(IReadOnlyList<OutgoingPacket> packets, IBufferWriter<byte> writer)
    {
        var length = GetLength(packets);
        Encode(packets, writer.GetSpan(length));
        writer.Advance(length);
    }
}
