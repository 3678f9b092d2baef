using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using SocketIo.Adapters.Cluster;

namespace SocketIo.Postgres.Internal;

/// <summary>
/// What the PostgreSQL adapters of one server share, as the npm package's <c>PubSubClient</c>: one connection that
/// LISTENs to every namespace's channel, the publishing (<c>pg_notify</c>, or the attachments table), and the
/// periodic cleanup of that table.
/// </summary>
/// <remarks>
/// Notifications are handed to the adapters by one loop, in the order they arrived, also when one of them has to be
/// read from the table first; the listening connection itself never waits for that. Npgsql allows no command on a
/// connection while it waits for notifications, so the wait is bounded (<see cref="ListenWait"/>) and channels added
/// meanwhile are listened to between two waits; a notification ends the wait at once.
/// </remarks>
internal sealed partial class PostgresPubSub : IAsyncDisposable
{
    private static readonly TimeSpan ListenWait = TimeSpan.FromMilliseconds(100);

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresAdapterOptions _options;
    private readonly ILogger _logger;
    // Channel -> the adapter of its namespace, and whether the listening connection listens to it.
    private readonly ConcurrentDictionary<string, PostgresAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _listening = new(StringComparer.Ordinal);
    private readonly Channel<(string Channel, string Payload)> _received = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listen;
    private readonly Task _dispatch;
    private readonly Timer _cleanup;
    private int _disposed;

    public PostgresPubSub(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresAdapterOptions options, ILogger logger)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _options = options;
        _logger = logger;
        _listen = Task.Run(ListenLoopAsync);
        _dispatch = Task.Run(DispatchLoopAsync);
        _cleanup = new Timer(_ => _ = CleanupAsync(), null, options.CleanupInterval, options.CleanupInterval);
    }

    /// <summary>The channel of a namespace, as the npm package names it.</summary>
    public string ChannelOf(string @namespace) => _options.ChannelPrefix + "#" + @namespace;

    /// <summary>Hands the notifications of the adapter's namespace to it; the task completes once they are listened to.</summary>
    public Task Register(PostgresAdapter adapter)
    {
        var channel = ChannelOf(adapter.Namespace.Name);
        _adapters[channel] = adapter;
        return _listening.GetOrAdd(channel, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    /// <summary>Forgets the adapter; returns true when it was the last one (the caller then disposes this).</summary>
    public bool Unregister(PostgresAdapter adapter)
    {
        _adapters.TryRemove(new KeyValuePair<string, PostgresAdapter>(ChannelOf(adapter.Namespace.Name), adapter));
        return _adapters.IsEmpty;
    }

    // ---- Publishing ---------------------------------------------------------------------------------------------------

    /// <summary>Publishes a message on its namespace's channel, through the table when it must (<see cref="NotificationWire"/>).</summary>
    public async Task PublishAsync(ClusterMessage message)
    {
        var channel = ChannelOf(message.Namespace);
        var json = message.HasBinary ? null : message.EncodeJson();
        string payload;
        if (json is null || NotificationWire.NeedsAttachment(message, json.Length, _options.PayloadThreshold))
        {
            await using var insert = _dataSource.CreateCommand($"INSERT INTO {_options.TableName} (payload) VALUES ($1) RETURNING id");
            insert.Parameters.Add(new NpgsqlParameter { Value = message.EncodeMsgPack() });
            var id = Convert.ToInt64(await insert.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            payload = NotificationWire.Header(message.Uid, message.Type, id);
        }
        else
        {
            payload = System.Text.Encoding.UTF8.GetString(json);
        }
        await using var notify = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        notify.Parameters.Add(new NpgsqlParameter { Value = channel });
        notify.Parameters.Add(new NpgsqlParameter { Value = payload });
        await notify.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    // ---- Listening ----------------------------------------------------------------------------------------------------

    private async Task ListenLoopAsync()
    {
        var tableChecked = !_options.CreateTable;
        while (!_stop.IsCancellationRequested)
        {
            var listened = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) => _received.Writer.TryWrite((e.Channel, e.Payload));
                if (!tableChecked)
                {
                    await CreateTableAsync(connection).ConfigureAwait(false);
                    tableChecked = true;
                }
                Log.Listening(_logger);
                while (!_stop.IsCancellationRequested)
                {
                    foreach (var (channel, listening) in _listening)
                    {
                        if (!listened.Add(channel)) continue;
                        await using (var listen = new NpgsqlCommand("LISTEN " + QuoteIdentifier(channel), connection))
                        {
                            await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                        }
                        listening.TrySetResult();
                    }
                    await connection.WaitAsync(ListenWait, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // PostgreSQL is away, or the connection broke (or anything else: this loop must not end while adapters
                // need it): notifications sent meanwhile are lost (as with the npm package); listen again after a pause
                // of about 2 s, with jitter so that nodes do not come back at once.
                Log.ListenFailed(_logger, exception);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(1_000 + Random.Shared.Next(2_000)), _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task CreateTableAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var create = new NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS {_options.TableName} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)", connection);
            await create.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (PostgresException exception)
        {
            // Another node created it in the same instant (a unique violation in the catalogue), or this role may not
            // create tables: publishing through the table says so if it is really missing.
            Log.CreateTableFailed(_logger, _options.TableName, exception);
        }
    }

    /// <summary>A channel name as a quoted identifier (it holds <c>#</c> and <c>/</c>), as the npm package writes it.</summary>
    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // ---- Dispatching --------------------------------------------------------------------------------------------------

    private async Task DispatchLoopAsync()
    {
        try
        {
            await foreach (var (channel, payload) in _received.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_adapters.TryGetValue(channel, out var adapter)) await DispatchAsync(adapter, payload).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
        }
    }

    private async Task DispatchAsync(PostgresAdapter adapter, string payload)
    {
        if (!NotificationWire.TryRead(payload, out var message, out var uid, out var attachmentId))
        {
            adapter.OnMalformed(payload.Length);
            return;
        }
        // This node's own messages come back too: dropped before their attachment is read.
        if (uid == adapter.Uid) return;
        if (message is null)
        {
            var raw = await ReadAttachmentAsync(attachmentId).ConfigureAwait(false);
            if (raw is null) return;
            message = ClusterMessage.TryDecode(raw);
            if (message is null)
            {
                adapter.OnMalformed(raw.Length);
                return;
            }
        }
        adapter.OnNotification(message);
    }

    private async Task<byte[]?> ReadAttachmentAsync(long id)
    {
        try
        {
            await using var select = _dataSource.CreateCommand($"SELECT payload FROM {_options.TableName} WHERE id = $1");
            select.Parameters.Add(new NpgsqlParameter { Value = id });
            var payload = await select.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false) as byte[];
            if (payload is null) Log.AttachmentMissing(_logger, id, _options.TableName);
            return payload;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException and not OperationCanceledException)
        {
            Log.AttachmentReadFailed(_logger, id, exception);
            return null;
        }
    }

    private async Task CleanupAsync()
    {
        try
        {
            await using var delete = _dataSource.CreateCommand(
                $"DELETE FROM {_options.TableName} WHERE created_at < now() - interval '{(long)_options.CleanupInterval.TotalMilliseconds} milliseconds'");
            await delete.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            if (!_stop.IsCancellationRequested) Log.CleanupFailed(_logger, exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _cleanup.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_listen, _dispatch).ConfigureAwait(false);
        // _stop is not disposed: a cleanup started just before may still read its token.
        if (_ownsDataSource) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1301, LogLevel.Debug, "Listening to the namespaces' PostgreSQL channels.", EventName = "PostgresListening")]
        public static partial void Listening(ILogger logger);

        [LoggerMessage(1302, LogLevel.Warning, "Listening to PostgreSQL failed; listening again shortly (notifications sent meanwhile are lost).", EventName = "PostgresListenFailed")]
        public static partial void ListenFailed(ILogger logger, Exception exception);

        [LoggerMessage(1303, LogLevel.Warning, "Creating the attachments table {Table} failed.", EventName = "PostgresCreateTableFailed")]
        public static partial void CreateTableFailed(ILogger logger, string table, Exception exception);

        [LoggerMessage(1304, LogLevel.Warning, "Attachment {Id} is not in {Table} (deleted by the cleanup before it was read?).", EventName = "PostgresAttachmentMissing")]
        public static partial void AttachmentMissing(ILogger logger, long id, string table);

        [LoggerMessage(1305, LogLevel.Warning, "Reading attachment {Id} failed.", EventName = "PostgresAttachmentReadFailed")]
        public static partial void AttachmentReadFailed(ILogger logger, long id, Exception exception);

        [LoggerMessage(1306, LogLevel.Debug, "Deleting the old rows of the attachments table failed.", EventName = "PostgresCleanupFailed")]
        public static partial void CleanupFailed(ILogger logger, Exception exception);
    }
}
