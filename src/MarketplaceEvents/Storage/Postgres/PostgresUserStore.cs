using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresUserStore(PostgresDatabase database) : IUserStore
{
    public async Task UpsertAsync(UserProfile profile, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO users (id, name, avatar) VALUES (@id, @name, @avatar)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar
            WHERE users.name IS DISTINCT FROM excluded.name OR users.avatar IS DISTINCT FROM excluded.avatar
            """,
            cancellationToken, ("@id", profile.Id), ("@name", profile.Name), ("@avatar", profile.Avatar)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserProfile>> GetManyAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var known = new Dictionary<string, UserProfile>(StringComparer.Ordinal);
        foreach (var id in userIds.Distinct(StringComparer.Ordinal))
        {
            var rows = await connection.QueryAsync("SELECT id, name, avatar FROM users WHERE id = @id",
                r => new UserProfile(r.GetString(0), r.GetNullableString(1), r.GetNullableString(2)), cancellationToken, ("@id", id)).ConfigureAwait(false);
            if (rows.Count == 1) known[id] = rows[0];
        }
        return userIds.Select(id => known.TryGetValue(id, out var profile) ? profile : new UserProfile(id, null, null)).ToArray();
    }

    public async Task SetLastSeenAsync(string userId, DateTimeOffset lastSeen, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO users (id, last_seen) VALUES (@id, @at) ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
            cancellationToken, ("@id", userId), ("@at", lastSeen)).ConfigureAwait(false);
    }
}
