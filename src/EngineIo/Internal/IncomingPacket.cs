namespace EngineIo.Internal;

/// <summary>A decoded incoming packet. <see cref="Data"/> points into the transport's receive buffer.</summary>
internal readonly record struct IncomingPacket(EnginePacketType Type, bool IsBinary, ReadOnlyMemory<byte> Data)
{
    /// <summary>Whether this is a ping carrying <c>probe</c>, the first packet of a WebSocket upgrade.</summary>
    public bool IsProbe => Type == EnginePacketType.Ping && !IsBinary && Data.Span.SequenceEqual("probe"u8);
}
