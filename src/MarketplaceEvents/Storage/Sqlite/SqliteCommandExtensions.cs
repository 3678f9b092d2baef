using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MarketplaceEvents.Storage.Sqlite;

/// <summary>Short forms for parameterized commands.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, ToDb(value));
        return command;
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(sql, cancellationToken, []).ConfigureAwait(false);

    /// <summary>Runs a query and maps every row.</summary>
    public static async Task<List<T>> QueryAsync<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a write transaction. BEGIN IMMEDIATE takes the write lock at once, so two
    /// writers queue on the busy timeout instead of failing when both try to upgrade a read lock. (Plain SQL rather
    /// than BeginTransaction: commands then need no transaction object.)
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this SqliteConnection connection, Func<Task<T>> body, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await body().ConfigureAwait(false);
        }
        catch
        {
            // Undo and rethrow: the caller sees the original failure.
            await connection.ExecuteAsync("ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await connection.ExecuteAsync("COMMIT", cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static decimal GetDecimalText(this SqliteDataReader reader, int ordinal) => decimal.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture);

    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        // Money is stored as invariant text: SQLite's REAL would round it.
        decimal amount => amount.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? 1 : 0,
        DateTimeOffset time => Domain.Timestamps.ToIso(time),
        _ => value,
    };
}
