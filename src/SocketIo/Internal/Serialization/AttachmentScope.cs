namespace SocketIo.Internal.Serialization;

/// <summary>
/// The binary attachments of the packet being written or read on this thread. System.Text.Json converters have no
/// context argument, and (de)serialization is synchronous, so a thread-static scope is the narrowest way to hand
/// them the attachment list. Scopes nest: each restores the previous one.
/// </summary>
internal static class AttachmentScope
{
    [ThreadStatic] private static List<ReadOnlyMemory<byte>>? t_outgoing;
    [ThreadStatic] private static IReadOnlyList<ReadOnlyMemory<byte>>? t_incoming;

    public static List<ReadOnlyMemory<byte>>? Outgoing => t_outgoing;

    public static IReadOnlyList<ReadOnlyMemory<byte>>? Incoming => t_incoming;

    public static OutgoingScope BeginOutgoing(List<ReadOnlyMemory<byte>> attachments)
    {
        var previous = t_outgoing;
        t_outgoing = attachments;
        return new OutgoingScope(previous);
    }

    public static IncomingScope BeginIncoming(IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var previous = t_incoming;
        t_incoming = attachments;
        return new IncomingScope(previous);
    }

    public readonly struct OutgoingScope(List<ReadOnlyMemory<byte>>? previous) : IDisposable
    {
        public void Dispose() => t_outgoing = previous;
    }

    public readonly struct IncomingScope(IReadOnlyList<ReadOnlyMemory<byte>>? previous) : IDisposable
    {
        public void Dispose() => t_incoming = previous;
    }
}
