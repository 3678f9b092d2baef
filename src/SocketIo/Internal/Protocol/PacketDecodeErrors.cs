namespace SocketIo.Internal.Protocol;

/// <summary>
/// The reasons the JSON parser gives for rejecting input. They are constants so that reporting an
/// error never allocates, and so that tests can tell which rule fired.
/// </summary>
internal static class PacketDecodeErrors
{
    public const string Empty = "empty packet";
    public const string InvalidUtf8 = "invalid UTF-8";
    public const string UnknownType = "unknown packet type";
    public const string IllegalAttachmentCount = "illegal attachment count";
    public const string TooManyAttachments = "too many attachments";
    public const string InvalidAckId = "invalid ack id";
    public const string MissingAckId = "missing ack id";
    public const string InvalidPayload = "invalid payload";
    public const string IllegalPlaceholder = "illegal attachment placeholder";

    /// <summary>For the caller: a binary message arrived while no BINARY_EVENT/BINARY_ACK header was waiting for it.</summary>
    public const string UnexpectedAttachment = "got binary data when not reconstructing a packet";

    /// <summary>For the caller: a text message arrived while attachments of a previous header were still expected.</summary>
    public const string UnexpectedText = "got plaintext data when reconstructing a packet";
}
