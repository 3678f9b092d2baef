using Npgsql;
using NpgsqlTypes;

namespace MarketplaceEvents.Storage.Postgres;

/// <summary>JSON text to store in a <c>jsonb</c> column (a plain string parameter would be sent as <c>text</c>).</summary>
internal readonly record struct PostgresJson(string? Text);

/// <summary>Short forms for parameterized commands, the same shape as the SQLite ones.</summary>
internal static class PostgresCommandExtensions
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(ToParameter(name, value));
        return command;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(sql, cancellationToken, []).ConfigureAwait(false);

    /// <summary>Runs a query and maps every row.</summary>
    public static async Task<List<T>> QueryAsync<T>(this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a transaction (READ COMMITTED: the stores make each check-and-change one
    /// conditional statement, which PostgreSQL re-checks against the committed row, or take an explicit lock).
    /// Npgsql runs the connection's commands inside it without a transaction object on each.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this NpgsqlConnection connection, Func<Task<T>> body, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // On an exception the transaction is disposed uncommitted, which rolls it back; the caller sees the failure.
        var result = await body().ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetTimestamp(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? GetNullableTimestamp(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetTimestamp(ordinal);

    private static NpgsqlParameter ToParameter(string name, object? value) => value switch
    {
        null => new NpgsqlParameter(name, DBNull.Value),
        PostgresJson json => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = (object?)json.Text ?? DBNull.Value },
        // timestamptz takes UTC instants only.
        DateTimeOffset time => new NpgsqlParameter(name, time.ToUniversalTime()),
        _ => new NpgsqlParameter(name, value),
    };
}
