namespace EngineIo.Internal;

/// <summary>Engine.IO packet types; on the wire each is the ASCII digit of its value.</summary>
internal enum EnginePacketType : byte
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}
