using System.Text.RegularExpressions;
using Npgsql;

namespace SocketIo.Postgres;

/// <summary>
/// Options of the PostgreSQL adapter (<c>createAdapter</c> of @socket.io/postgres-adapter 0.5.0), with the same
/// defaults. Validated when the adapter is set up.
/// </summary>
public sealed partial class PostgresAdapterOptions
{
    /// <summary>The default channel prefix, <c>socket.io</c>: a namespace's channel is <c>{prefix}#{nsp}</c>.</summary>
    public const string DefaultChannelPrefix = "socket.io";

    /// <summary>The default table of the messages too large or too binary for a notification, <c>socket_io_attachments</c>.</summary>
    public const string DefaultTableName = "socket_io_attachments";

    /// <summary>The default size above which a message goes through the table, 8,000 bytes (PostgreSQL's limit for a notification's payload).</summary>
    public const int DefaultPayloadThreshold = 8_000;

    /// <summary>The default period of the table's cleanup, and the age of the rows it deletes, 30 s.</summary>
    public static readonly TimeSpan DefaultCleanupInterval = TimeSpan.FromSeconds(30);

    /// <summary>An Npgsql connection string; used when <see cref="DataSource"/> is not set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A data source to share (from DI); it is not disposed by the adapter. The adapter keeps one of its connections
    /// open for LISTEN, and borrows others to publish.
    /// </summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>The prefix of the namespaces' channels; default <see cref="DefaultChannelPrefix"/>.</summary>
    public string ChannelPrefix { get; set; } = DefaultChannelPrefix;

    /// <summary>
    /// The table that carries the messages a notification cannot (binary ones, and those above
    /// <see cref="PayloadThreshold"/>); default <see cref="DefaultTableName"/>. A name, optionally schema-qualified.
    /// </summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>The size of a message's JSON above which it goes through the table; default <see cref="DefaultPayloadThreshold"/>.</summary>
    public int PayloadThreshold { get; set; } = DefaultPayloadThreshold;

    /// <summary>How often the table's rows older than this are deleted; default <see cref="DefaultCleanupInterval"/>.</summary>
    public TimeSpan CleanupInterval { get; set; } = DefaultCleanupInterval;

    /// <summary>
    /// Creates the table (<c>CREATE TABLE IF NOT EXISTS</c>, the layout of the npm package's README) when the adapter
    /// starts; default true. The npm package leaves that to the operator: turn it off where the application's role may
    /// not create tables, and create it beforehand.
    /// </summary>
    public bool CreateTable { get; set; } = true;

    /// <summary>How long without publishing before a node publishes a heartbeat; default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = Adapters.Cluster.ClusterAdapterWithHeartbeat.DefaultHeartbeatInterval;

    /// <summary>How long a node may stay silent before the others count it gone; default 10 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = Adapters.Cluster.ClusterAdapterWithHeartbeat.DefaultHeartbeatTimeout;

    /// <summary>How long requests to other nodes wait (fetchSockets without a timeout); default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (DataSource is null && string.IsNullOrWhiteSpace(ConnectionString))
            throw new ArgumentException("Set the PostgreSQL connection string or the data source.");
        ArgumentException.ThrowIfNullOrEmpty(ChannelPrefix);
        // The table's name is written into SQL: a plain identifier, optionally schema-qualified, and nothing else.
        if (string.IsNullOrEmpty(TableName) || !TableNamePattern().IsMatch(TableName))
            throw new ArgumentException($"'{TableName}' is not a table name (letters, digits and underscores, optionally schema.table).", nameof(TableName));
        ArgumentOutOfRangeException.ThrowIfLessThan(PayloadThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CleanupInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestsTimeout, TimeSpan.Zero);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableNamePattern();
}
