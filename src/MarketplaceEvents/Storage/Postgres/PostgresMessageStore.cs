using System.Text.Json;
using MarketplaceEvents.Domain;
using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresMessageStore(PostgresDatabase database) : IMessageStore
{
    private const string Columns = "seq, id, conversation_id, sender_id, client_message_id, content, attachments, status, created_at";
    private static readonly JsonSerializerOptions AttachmentJson = new(JsonSerializerDefaults.Web);

    public async Task<(ChatMessage Message, bool Created)> SaveAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One statement: of two concurrent retries with the same client message id, exactly one inserts.
        var inserted = await connection.QueryAsync(
            $"""
            INSERT INTO messages (id, conversation_id, sender_id, client_message_id, content, attachments, status, created_at)
            VALUES (@id, @conversation, @sender, @client, @content, @attachments, @status, @at)
            ON CONFLICT (sender_id, client_message_id) DO NOTHING
            RETURNING {Columns}
            """,
            Read, cancellationToken,
            ("@id", message.Id), ("@conversation", message.ConversationId), ("@sender", message.SenderId),
            ("@client", message.ClientMessageId), ("@content", message.Content),
            ("@attachments", new PostgresJson(JsonSerializer.Serialize(message.Attachments, AttachmentJson))), ("@status", message.Status),
            ("@at", message.CreatedAt)).ConfigureAwait(false);
        if (inserted.Count == 1) return (inserted[0], true);

        var existing = await connection.QueryAsync(
            $"SELECT {Columns} FROM messages WHERE sender_id = @sender AND client_message_id = @client",
            Read, cancellationToken, ("@sender", message.SenderId), ("@client", message.ClientMessageId)).ConfigureAwait(false);
        return (existing.Single(), false);
    }

    public async Task<ChatMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync($"SELECT {Columns} FROM messages WHERE id = @id", Read, cancellationToken, ("@id", messageId)).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<ChatMessage>> GetHistoryAsync(string conversationId, int limit, HistoryCursor? before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (before?.MessageId is { } messageId)
        {
            // Before a message: older by insertion order, so that messages of the same millisecond are neither lost nor repeated.
            return await connection.QueryAsync(
                $"""
                SELECT {Columns} FROM messages
                WHERE conversation_id = @conversation AND seq < (SELECT seq FROM messages WHERE id = @before AND conversation_id = @conversation)
                ORDER BY seq DESC LIMIT @limit
                """,
                Read, cancellationToken, ("@conversation", conversationId), ("@before", messageId), ("@limit", limit)).ConfigureAwait(false);
        }
        if (before?.Time is { } time)
        {
            return await connection.QueryAsync(
                $"SELECT {Columns} FROM messages WHERE conversation_id = @conversation AND created_at < @before ORDER BY seq DESC LIMIT @limit",
                Read, cancellationToken, ("@conversation", conversationId), ("@before", time), ("@limit", limit)).ConfigureAwait(false);
        }
        return await connection.QueryAsync(
            $"SELECT {Columns} FROM messages WHERE conversation_id = @conversation ORDER BY seq DESC LIMIT @limit",
            Read, cancellationToken, ("@conversation", conversationId), ("@limit", limit)).ConfigureAwait(false);
    }

    public async Task<ChatMessage?> GetLastAsync(string conversationId, CancellationToken cancellationToken = default) =>
        (await GetHistoryAsync(conversationId, 1, null, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<bool> AdvanceStatusAsync(string messageId, string status, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Only forward: sent → delivered → read.
        var changed = await connection.ExecuteAsync(
            """
            UPDATE messages SET status = @status
            WHERE id = @id AND (CASE status WHEN 'sent' THEN 0 WHEN 'delivered' THEN 1 ELSE 2 END)
                             < (CASE @status WHEN 'sent' THEN 0 WHEN 'delivered' THEN 1 ELSE 2 END)
            """,
            cancellationToken, ("@id", messageId), ("@status", status)).ConfigureAwait(false);
        return changed == 1;
    }

    private static ChatMessage Read(NpgsqlDataReader r) => new(
        Id: r.GetString(1),
        Sequence: r.GetInt64(0),
        ConversationId: r.GetString(2),
        SenderId: r.GetString(3),
        ClientMessageId: r.GetNullableString(4),
        Content: r.GetString(5),
        Attachments: JsonSerializer.Deserialize<MessageAttachment[]>(r.GetString(6), AttachmentJson) ?? [],
        Status: r.GetString(7),
        CreatedAt: r.GetTimestamp(8));
}
