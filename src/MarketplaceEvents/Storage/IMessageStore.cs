using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>Chat messages.</summary>
internal interface IMessageStore
{
    /// <summary>
    /// Stores a message, unless its sender already stored one with the same client message id: then nothing is
    /// written and the earlier message is returned with <c>Created = false</c>.
    /// </summary>
    Task<(ChatMessage Message, bool Created)> SaveAsync(ChatMessage message, CancellationToken cancellationToken = default);

    Task<ChatMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> messages of a conversation, newest first, older than <paramref name="before"/>
    /// when given (a message id, or a timestamp).
    /// </summary>
    Task<IReadOnlyList<ChatMessage>> GetHistoryAsync(string conversationId, int limit, HistoryCursor? before, CancellationToken cancellationToken = default);

    /// <summary>The newest message of a conversation, or null.</summary>
    Task<ChatMessage?> GetLastAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Moves a message's status forward; false when it already was there or further.</summary>
    Task<bool> AdvanceStatusAsync(string messageId, string status, CancellationToken cancellationToken = default);
}

/// <summary>Where a page of history ends: before a message, or before a time.</summary>
internal sealed record HistoryCursor(string? MessageId, DateTimeOffset? Time);
