using EngineIo;
using SocketIo.Internal.Protocol;

namespace SocketIo.Internal;

/// <summary>A packet together with its encoded Engine.IO messages: encoded once, written to every recipient as is.</summary>
internal sealed record EncodedPacket(SocketIoPacket Packet, EngineMessage[] Messages);
