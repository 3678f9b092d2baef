namespace SocketIo.Internal.Protocol;

/// <summary>
/// Collects the binary attachments that follow a BINARY_EVENT or BINARY_ACK header, in order, and
/// turns header and attachments into the final packet. A connection owns at most one at a time:
/// it creates one when <see cref="JsonPacketDecoder.Decode"/> returns
/// <see cref="PacketDecodeStatus.AwaitingAttachments"/> and drops it once <see cref="Add"/> returns
/// anything else. A binary message arriving with no assembler in place is a protocol error the
/// connection reports itself (<see cref="PacketDecodeErrors.UnexpectedAttachment"/>), as is a text
/// message arriving while one is in place (<see cref="PacketDecodeErrors.UnexpectedText"/>).
/// </summary>
internal sealed class BinaryPacketAssembler
{
    private readonly SocketIoPacket _header;
    private readonly ReadOnlyMemory<byte>[] _attachments;
    private readonly int _maxDepth;
    private int _received;
    private bool _finished;

    /// <param name="header">The header as decoded: a BINARY_EVENT or BINARY_ACK without attachments.</param>
    /// <param name="expectedAttachments">The attachment count the header announced (at least 1).</param>
    /// <param name="limits">The limits the header was decoded with.</param>
    public BinaryPacketAssembler(SocketIoPacket header, int expectedAttachments, DecoderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expectedAttachments);
        if (header.Type is not (PacketType.BinaryEvent or PacketType.BinaryAck))
        {
            throw new ArgumentException("Only BINARY_EVENT and BINARY_ACK packets have attachments.", nameof(header));
        }

        _header = header;
        _attachments = new ReadOnlyMemory<byte>[expectedAttachments];
        _maxDepth = limits.MaxDepth;
    }

    /// <summary>The number of attachments the header announced.</summary>
    public int ExpectedAttachments => _attachments.Length;

    /// <summary>The number of attachments received so far.</summary>
    public int ReceivedAttachments => _received;

    /// <summary>
    /// Takes the next attachment. The bytes are copied, since the transport may reuse its buffer.
    /// </summary>
    /// <returns>
    /// <see cref="PacketDecodeStatus.AwaitingAttachments"/> while more are expected;
    /// <see cref="PacketDecodeStatus.Complete"/> with the packet after the last one; or
    /// <see cref="PacketDecodeStatus.Invalid"/> when the placeholders in the payload do not match the
    /// attachments (checked once all have arrived, as the reference does).
    /// </returns>
    /// <exception cref="InvalidOperationException">The assembler already returned a final result.</exception>
    public PacketDecodeStatus Add(ReadOnlySpan<byte> attachment, out SocketIoPacket? packet, out string? error)
    {
        if (_finished)
        {
            throw new InvalidOperationException("This packet is already assembled; start a new assembler for the next header.");
        }

        _attachments[_received++] = attachment.ToArray();
        if (_received < _attachments.Length)
        {
            packet = null;
            error = null;
            return PacketDecodeStatus.AwaitingAttachments;
        }

        _finished = true;
        if (!JsonPlaceholders.AreValid(_header.Data.Span, _attachments.Length, _maxDepth))
        {
            // Let the buffers go now rather than when the connection drops the assembler.
            Array.Clear(_attachments);
            packet = null;
            error = PacketDecodeErrors.IllegalPlaceholder;
            return PacketDecodeStatus.Invalid;
        }

        packet = new SocketIoPacket(_header.Type, _header.Namespace, _header.Id, _header.Data, _attachments);
        error = null;
        return PacketDecodeStatus.Complete;
    }
}
