using SocketIo.Internal.Parsing;

namespace SocketIo;

/// <summary>The wire format of Socket.IO packets, chosen per server.</summary>
public sealed class SocketIoParser
{
    private SocketIoParser(string name, IPacketParser implementation)
    {
        Name = name;
        Implementation = implementation;
    }

    /// <summary>The default parser: JSON text with binary attachments in separate frames (npm <c>socket.io-parser</c>).</summary>
    public static SocketIoParser Json { get; } = new("json", new JsonPacketParser());

    /// <summary>msgpack: each packet is one binary message, compatible with npm <c>socket.io-msgpack-parser</c> 3.x.</summary>
    public static SocketIoParser MsgPack { get; } = new("msgpack", new MsgPackParser());

    /// <summary>The parser's name.</summary>
    public string Name { get; }

    internal IPacketParser Implementation { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
