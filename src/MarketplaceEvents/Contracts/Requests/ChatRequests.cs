using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Validation;

namespace MarketplaceEvents.Contracts.Requests;

/// <summary><c>chat.send</c> {conversationId, content, attachments?, clientMessageId?}.</summary>
internal sealed record ChatSendRequest(string ConversationId, string Content, IReadOnlyList<MessageAttachment> Attachments, string? ClientMessageId)
{
    public const int MaxContentLength = 10_000;
    public const int MaxAttachments = 10;

    private static readonly IReadOnlySet<string> AttachmentTypes = new HashSet<string>(StringComparer.Ordinal) { "image", "file" };

    public static ChatSendRequest? Read(PayloadReader r)
    {
        var conversationId = r.Id("conversationId");
        var content = r.String("content", required: true, MaxContentLength, allowEmpty: true);
        var clientMessageId = r.Id("clientMessageId", required: false);
        var attachments = new List<MessageAttachment>();
        foreach (var item in r.ObjectArray("attachments", required: false, MaxAttachments) ?? [])
        {
            var type = item.Enum("type", required: true, AttachmentTypes);
            var url = item.HttpUrl("url", required: true);
            var name = item.String("name", required: false, 255);
            var size = item.Long("size", required: false, 0, long.MaxValue);
            if (type is not null && url is not null) attachments.Add(new MessageAttachment(type, url, name, size));
        }
        // A message says something or carries something.
        if (content is not null && string.IsNullOrWhiteSpace(content) && attachments.Count == 0 && r.Errors.Count == 0)
        {
            r.AddError("content", "must not be empty when there are no attachments");
        }
        return r.Errors.Count > 0 ? null : new ChatSendRequest(conversationId!, content!, attachments, clientMessageId);
    }
}

/// <summary><c>chat.status</c> {messageId, conversationId, status: delivered|read}.</summary>
internal sealed record ChatStatusRequest(string MessageId, string ConversationId, string Status)
{
    private static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal) { MessageStatus.Delivered, MessageStatus.Read };

    public static ChatStatusRequest? Read(PayloadReader r)
    {
        var messageId = r.Id("messageId");
        var conversationId = r.Id("conversationId");
        var status = r.Enum("status", required: true, Statuses);
        // The client's own timestamp is allowed but the server's clock is the one reported.
        r.Timestamp("timestamp", required: false);
        return r.Errors.Count > 0 ? null : new ChatStatusRequest(messageId!, conversationId!, status!);
    }
}

/// <summary><c>chat.history</c> {conversationId, limit?, before?}: before is a message id or an ISO timestamp.</summary>
internal sealed record ChatHistoryRequest(string ConversationId, int Limit, HistoryCursor? Before)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static ChatHistoryRequest? Read(PayloadReader r)
    {
        var conversationId = r.Id("conversationId");
        var limit = r.Int("limit", required: false, 1, MaxLimit) ?? DefaultLimit;
        var before = r.Id("before", required: false);
        if (r.Errors.Count > 0) return null;
        HistoryCursor? cursor = before is null ? null
            : Timestamps.TryParse(before, out var time) ? new HistoryCursor(null, time)
            : new HistoryCursor(before, null);
        return new ChatHistoryRequest(conversationId!, limit, cursor);
    }
}
