using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>Conversations and their participants.</summary>
internal interface IConversationStore
{
    Task CreateAsync(Conversation conversation, CancellationToken cancellationToken = default);

    Task<Conversation?> GetAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>The user's conversations that are not deleted, most recently updated first.</summary>
    Task<IReadOnlyList<Conversation>> ListForUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Changes a conversation's status; false when there is no such conversation.</summary>
    Task<bool> SetStatusAsync(string conversationId, string status, DateTimeOffset updatedAt, CancellationToken cancellationToken = default);

    /// <summary>Everyone who shares a conversation that is not deleted with <paramref name="userId"/>, without the user.</summary>
    Task<IReadOnlyList<string>> GetContactsAsync(string userId, CancellationToken cancellationToken = default);
}
