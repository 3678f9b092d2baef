using System.Text.Json;
using MarketplaceEvents.Domain;
using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresNotificationStore(PostgresDatabase database) : INotificationStore
{
    /// <summary>The first key of the per-user queue lock (an arbitrary constant of this service).</summary>
    private const int NotificationQueueLockKey = 0x4D4B544E; // "MKTN"

    private const string Columns = "id, user_id, type, title, message, priority, metadata, action, expiry, read, created_at";

    public async Task<int> SaveAsync(Notification notification, int maxUndelivered, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.InTransactionAsync(async () =>
        {
            if (!notification.IsSystem)
            {
                // Saves of one user's notifications queue here until commit: without it, two concurrent saves on
                // different nodes would each trim a queue that does not yet hold the other's row, leaving it over the bound.
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key, hashtext(@user))", cancellationToken,
                    ("@key", NotificationQueueLockKey), ("@user", notification.UserId)).ConfigureAwait(false);
            }
            await connection.ExecuteAsync(
                $"""
                INSERT INTO notifications ({Columns}, delivery)
                VALUES (@id, @user, @type, @title, @message, @priority, @metadata, @action, @expiry, @read, @at, @delivery)
                """,
                cancellationToken, ("@id", notification.Id), ("@user", notification.UserId), ("@type", notification.Type),
                ("@title", notification.Title), ("@message", notification.Message), ("@priority", notification.Priority),
                ("@metadata", new PostgresJson(notification.Metadata?.GetRawText())), ("@action", new PostgresJson(notification.Action?.GetRawText())),
                ("@expiry", notification.Expiry), ("@read", notification.Read), ("@at", notification.CreatedAt),
                // System notifications are not queued per user: GET /api/notifications serves them to late comers.
                ("@delivery", notification.IsSystem ? "delivered" : "pending")).ConfigureAwait(false);
            if (notification.IsSystem) return 0;

            return await connection.ExecuteAsync(
                """
                UPDATE notifications SET delivery = 'dropped'
                WHERE user_id = @user AND delivery = 'pending'
                  AND seq NOT IN (SELECT seq FROM notifications WHERE user_id = @user AND delivery = 'pending' ORDER BY seq DESC LIMIT @max)
                """,
                cancellationToken, ("@user", notification.UserId), ("@max", maxUndelivered)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Notification>> GetSinceAsync(string userId, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The newest `limit` ones, returned oldest first.
        var newestFirst = await connection.QueryAsync(
            $"""
            SELECT {Columns} FROM notifications
            WHERE (user_id = @user OR user_id IS NULL) AND (@since::timestamptz IS NULL OR created_at > @since)
            ORDER BY seq DESC LIMIT @limit
            """,
            Read, cancellationToken, ("@user", userId), ("@since", since), ("@limit", limit)).ConfigureAwait(false);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<IReadOnlyList<Notification>> GetUndeliveredAsync(string userId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryAsync(
            $"SELECT {Columns} FROM notifications WHERE user_id = @user AND delivery = 'pending' ORDER BY seq LIMIT @limit",
            Read, cancellationToken, ("@user", userId), ("@limit", limit)).ConfigureAwait(false);
    }

    public async Task MarkDeliveredAsync(IReadOnlyCollection<string> notificationIds, CancellationToken cancellationToken = default)
    {
        if (notificationIds.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.InTransactionAsync(async () =>
        {
            foreach (var id in notificationIds)
            {
                await connection.ExecuteAsync("UPDATE notifications SET delivery = 'delivered' WHERE id = @id AND delivery = 'pending'",
                    cancellationToken, ("@id", id)).ConfigureAwait(false);
            }
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> MarkReadAsync(string notificationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.ExecuteAsync(
            "UPDATE notifications SET read = true WHERE id = @id AND user_id = @user",
            cancellationToken, ("@id", notificationId), ("@user", userId)).ConfigureAwait(false);
        return rows == 1;
    }

    private static Notification Read(NpgsqlDataReader r) => new(
        Id: r.GetString(0),
        UserId: r.GetNullableString(1),
        Type: r.GetString(2),
        Title: r.GetString(3),
        Message: r.GetString(4),
        Priority: r.GetString(5),
        Metadata: ParseJson(r.GetNullableString(6)),
        Action: ParseJson(r.GetNullableString(7)),
        Expiry: r.GetNullableTimestamp(8),
        Read: r.GetBoolean(9),
        CreatedAt: r.GetTimestamp(10));

    private static JsonElement? ParseJson(string? json) => json is null ? null : JsonElement.Parse(json);
}
