namespace EngineIo.Internal;

/// <summary>The data-less control packets, encoded once for every session.</summary>
internal static class ControlPackets
{
    public static readonly EngineMessage Close = EngineMessage.Create(EnginePacketType.Close, ReadOnlySpan<byte>.Empty);
    public static readonly EngineMessage Ping = EngineMessage.Create(EnginePacketType.Ping, ReadOnlySpan<byte>.Empty);
    public static readonly EngineMessage Pong = EngineMessage.Create(EnginePacketType.Pong, ReadOnlySpan<byte>.Empty);
    public static readonly EngineMessage Noop = EngineMessage.Create(EnginePacketType.Noop, ReadOnlySpan<byte>.Empty);
    public static readonly EngineMessage PongProbe = EngineMessage.Create(EnginePacketType.Pong, "probe"u8);
}
