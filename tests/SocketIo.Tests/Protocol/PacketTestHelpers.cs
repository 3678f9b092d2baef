using System.Text;
using SocketIo.Internal.Protocol;

namespace SocketIo.Tests.Protocol;

/// <summary>Builders and readers shared by the protocol tests.</summary>
internal static class PacketTestHelpers
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> utf8) => Encoding.UTF8.GetString(utf8.Span);

    public static SocketIoPacket Packet(
        PacketType type,
        string @namespace = "/",
        long? id = null,
        string? data = null,
        params byte[][] attachments)
    {
        var attachmentList = new ReadOnlyMemory<byte>[attachments.Length];
        for (var i = 0; i < attachments.Length; i++)
        {
            attachmentList[i] = attachments[i];
        }

        return new SocketIoPacket(type, @namespace, id, data is null ? ReadOnlyMemory<byte>.Empty : Utf8(data), attachmentList);
    }

    public static DecodeOutcome Decode(string message, DecoderLimits? limits = null) => Decode(Utf8(message), limits);

    public static DecodeOutcome Decode(byte[] message, DecoderLimits? limits = null)
    {
        var status = JsonPacketDecoder.Decode(message, limits ?? DecoderLimits.Default, out var packet, out var expected, out var error);
        return new DecodeOutcome(status, packet, expected, error);
    }

    /// <summary>Compares packets field by field, payload and attachments by content.</summary>
    public static void ShouldEqual(this SocketIoPacket actual, SocketIoPacket expected)
    {
        actual.Type.Should().Be(expected.Type);
        actual.Namespace.Should().Be(expected.Namespace);
        actual.Id.Should().Be(expected.Id);
        Text(actual.Data).Should().Be(Text(expected.Data));
        actual.Attachments.Should().HaveCount(expected.Attachments.Count);
        for (var i = 0; i < expected.Attachments.Count; i++)
        {
            actual.Attachments[i].ToArray().Should().Equal(expected.Attachments[i].ToArray());
        }
    }
}

internal sealed record DecodeOutcome(PacketDecodeStatus Status, SocketIoPacket? Packet, int ExpectedAttachments, string? Error)
{
    public SocketIoPacket ShouldBeComplete()
    {
        Status.Should().Be(PacketDecodeStatus.Complete, "the decoder said: {0}", Error);
        Error.Should().BeNull();
        ExpectedAttachments.Should().Be(0);
        Packet.Should().NotBeNull();
        return Packet!;
    }

    public SocketIoPacket ShouldAwait(int attachments)
    {
        Status.Should().Be(PacketDecodeStatus.AwaitingAttachments, "the decoder said: {0}", Error);
        Error.Should().BeNull();
        ExpectedAttachments.Should().Be(attachments);
        Packet.Should().NotBeNull();
        Packet!.Attachments.Should().BeEmpty();
        return Packet;
    }

    public void ShouldBeInvalid(string reason)
    {
        Status.Should().Be(PacketDecodeStatus.Invalid);
        Error.Should().Be(reason);
        Packet.Should().BeNull();
        ExpectedAttachments.Should().Be(0);
    }
}

/// <summary>
/// Drives decoder and assembler the way a connection would, mirroring the reference Decoder.add:
/// text messages go to the decoder, binary messages to the assembler of the pending header.
/// </summary>
internal sealed class ParserSession(DecoderLimits? limits = null)
{
    private readonly DecoderLimits _limits = limits ?? DecoderLimits.Default;
    private BinaryPacketAssembler? _assembler;

    public List<SocketIoPacket> Decoded { get; } = [];

    public string? Error { get; private set; }

    public void AddText(string message)
    {
        if (_assembler is not null)
        {
            Error = PacketDecodeErrors.UnexpectedText;
            return;
        }

        switch (JsonPacketDecoder.Decode(Utf8Bytes(message), _limits, out var packet, out var expected, out var error))
        {
            case PacketDecodeStatus.Complete:
                Decoded.Add(packet!);
                break;
            case PacketDecodeStatus.AwaitingAttachments:
                _assembler = new BinaryPacketAssembler(packet!, expected, _limits);
                break;
            default:
                Error = error;
                break;
        }
    }

    public void AddBinary(byte[] attachment)
    {
        if (_assembler is null)
        {
            Error = PacketDecodeErrors.UnexpectedAttachment;
            return;
        }

        var status = _assembler.Add(attachment, out var packet, out var error);
        if (status == PacketDecodeStatus.AwaitingAttachments)
        {
            return;
        }

        _assembler = null;
        if (status == PacketDecodeStatus.Complete)
        {
            Decoded.Add(packet!);
        }
        else
        {
            Error = error;
        }
    }

    private static byte[] Utf8Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
