using MarketplaceEvents.Domain;
using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresConversationStore(PostgresDatabase database) : IConversationStore
{
    public async Task CreateAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.InTransactionAsync(async () =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO conversations (id, status, created_by, created_at, updated_at) VALUES (@id, @status, @by, @created, @updated)",
                cancellationToken, ("@id", conversation.Id), ("@status", conversation.Status), ("@by", conversation.CreatedBy),
                ("@created", conversation.CreatedAt), ("@updated", conversation.UpdatedAt)).ConfigureAwait(false);
            for (var i = 0; i < conversation.ParticipantIds.Count; i++)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO conversation_participants (conversation_id, user_id, position) VALUES (@id, @user, @position)",
                    cancellationToken, ("@id", conversation.Id), ("@user", conversation.ParticipantIds[i]), ("@position", i)).ConfigureAwait(false);
            }
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Conversation?> GetAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await LoadAsync(connection, [conversationId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Conversation>> ListForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync(
            """
            SELECT c.id FROM conversations c JOIN conversation_participants p ON p.conversation_id = c.id
            WHERE p.user_id = @user AND c.status <> 'deleted'
            ORDER BY c.updated_at DESC, c.id
            """,
            r => r.GetString(0), cancellationToken, ("@user", userId)).ConfigureAwait(false);
        return await LoadAsync(connection, ids, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetStatusAsync(string conversationId, string status, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(
            "UPDATE conversations SET status = @status, updated_at = @at WHERE id = @id",
            cancellationToken, ("@id", conversationId), ("@status", status), ("@at", updatedAt)).ConfigureAwait(false);
        return changed == 1;
    }

    public async Task<IReadOnlyList<string>> GetContactsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryAsync(
            """
            SELECT DISTINCT other.user_id
            FROM conversation_participants me
            JOIN conversations c ON c.id = me.conversation_id AND c.status <> 'deleted'
            JOIN conversation_participants other ON other.conversation_id = me.conversation_id AND other.user_id <> me.user_id
            WHERE me.user_id = @user
            ORDER BY other.user_id
            """,
            r => r.GetString(0), cancellationToken, ("@user", userId)).ConfigureAwait(false);
    }

    /// <summary>The conversations with these ids, in the same order, with their participants.</summary>
    private static async Task<IReadOnlyList<Conversation>> LoadAsync(NpgsqlConnection connection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var conversations = new List<Conversation>(ids.Count);
        foreach (var id in ids)
        {
            var participants = await connection.QueryAsync(
                "SELECT user_id FROM conversation_participants WHERE conversation_id = @id ORDER BY position",
                r => r.GetString(0), cancellationToken, ("@id", id)).ConfigureAwait(false);
            var rows = await connection.QueryAsync(
                "SELECT id, status, created_by, created_at, updated_at FROM conversations WHERE id = @id",
                r => new Conversation(r.GetString(0), r.GetString(1), r.GetString(2), r.GetTimestamp(3), r.GetTimestamp(4), participants),
                cancellationToken, ("@id", id)).ConfigureAwait(false);
            conversations.AddRange(rows);
        }
        return conversations;
    }
}
