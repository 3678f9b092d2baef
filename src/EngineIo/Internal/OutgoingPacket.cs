namespace EngineIo.Internal;

/// <summary>A packet waiting in a session's write buffer, with whether the transport may compress it.</summary>
internal readonly record struct OutgoingPacket(EngineMessage Message, bool Compress);
