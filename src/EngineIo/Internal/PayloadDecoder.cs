namespace EngineIo.Internal;

/// <summary>Decodes a protocol v4 polling payload: packets separated by the record separator <c>0x1E</c>.</summary>
internal static class PayloadDecoder
{
    public const byte RecordSeparator = 0x1E;

    /// <summary>
    /// Decodes every packet of the payload into <paramref name="packets"/>. The whole payload is validated before
    /// anything is handed on, so a bad payload is refused whole and nothing of it is half-processed.
    /// </summary>
    public static bool TryDecode(Memory<byte> payload, List<IncomingPacket> packets)
    {
        while (true)
        {
            var separator = payload.Span.IndexOf(RecordSeparator);
            var record = separator < 0 ? payload : payload[..separator];
            if (!PacketDecoder.TryDecodeText(record, out var packet)) return false;
            packets.Add(packet);
            if (separator < 0) return true;
            payload = payload[(separator + 1)..];
        }
    }
}
