using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketIo.Adapters.Cluster;
using StackExchange.Redis;

namespace SocketIo.Redis.Internal.Streams;

using ClusterMessage = SocketIo.Adapters.Cluster.ClusterMessage;

/// <summary>
/// What the streams adapters of one server share: the connection they publish on, and the one loop that reads the
/// stream and hands each entry to the adapter of its namespace, in stream order.
/// </summary>
/// <remarks>
/// Reading uses a blocking <c>XREAD BLOCK</c> on a connection of its own. A StackExchange.Redis multiplexer
/// pipelines every caller's commands on one socket, so a blocking command on the shared connection would hold up
/// every other command for up to the block time; polling with non-blocking reads instead would add up to a poll
/// interval of latency to every cross-node broadcast, or cost a round trip per interval per server when idle. A
/// dedicated multiplexer that only ever carries this loop's reads blocks nobody, returns as soon as an entry is
/// appended, and costs one idle command per block time (its timeout is raised above the block time).
/// </remarks>
internal sealed partial class RedisStreamsHub
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly RedisStreamsAdapterOptions _options;
    private readonly ConfigurationOptions _readerConfiguration;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RedisStreamsAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _sync = new();
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private string? _position;
    private int _users;

    public RedisStreamsHub(RedisAdapterConnection connection, ConfigurationOptions readerConfiguration, RedisStreamsAdapterOptions options, ILogger logger)
    {
        Connection = connection;
        _options = options;
        _logger = logger;
        _readerConfiguration = readerConfiguration.Clone();
        // A read may block for BlockTime: it must not time out before Redis answers.
        var timeout = (int)Math.Min(int.MaxValue, options.BlockTime.TotalMilliseconds + 5_000);
        _readerConfiguration.AsyncTimeout = Math.Max(_readerConfiguration.AsyncTimeout, timeout);
        _readerConfiguration.SyncTimeout = Math.Max(_readerConfiguration.SyncTimeout, timeout);
        _readerConfiguration.AbortOnConnectFail = false;
    }

    public RedisAdapterConnection Connection { get; }

    public IDatabase Database => Connection.Multiplexer.GetDatabase();

    /// <summary>Completes once the loop knows where the stream ends and reads after it.</summary>
    public Task Reading => _reading.Task;

    public void Register(RedisStreamsAdapter adapter)
    {
        Connection.AddUser();
        lock (_sync)
        {
            _adapters[adapter.Namespace.Name] = adapter;
            _users++;
            // Entries handed out before this adapter existed were for no socket of its namespace.
            if (_position is not null) adapter.StartAt(_position);
            _loop ??= Task.Run(ReadLoopAsync);
        }
    }

    public async ValueTask UnregisterAsync(RedisStreamsAdapter adapter)
    {
        Task? loop = null;
        lock (_sync)
        {
            _adapters.TryRemove(new KeyValuePair<string, RedisStreamsAdapter>(adapter.Namespace.Name, adapter));
            if (--_users == 0)
            {
                _stop.Cancel();
                loop = _loop;
            }
        }
        if (loop is not null) await loop.ConfigureAwait(false);
        await Connection.ReleaseAsync().ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        ConnectionMultiplexer? reader = null;
        try
        {
            reader = await ConnectionMultiplexer.ConnectAsync(_readerConfiguration).ConfigureAwait(false);
            var database = reader.GetDatabase();
            var blockMs = (long)_options.BlockTime.TotalMilliseconds;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (_position is null) await StartAsync(database).ConfigureAwait(false);
                    var result = await database.ExecuteAsync("XREAD", "BLOCK", blockMs, "COUNT", _options.ReadCount, "STREAMS", _options.StreamName, _position!)
                        .WaitAsync(_stop.Token).ConfigureAwait(false);
                    if (result.IsNull) continue;
                    foreach (var entry in Entries((RedisResult[])result!)) Dispatch(entry);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    // Closing: the pending read is abandoned with its connection.
                    break;
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidCastException)
                {
                    // Redis is away (RedisAdapterConnection logs the outage once): read again from the same position
                    // when it is back, so nothing still in the stream is missed.
                    Log.ReadFailed(_logger, _options.StreamName, exception);
                    try
                    {
                        await Task.Delay(RetryDelay, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Not an outage (those are retried above): a bug or a configuration the reader cannot use. Said loudly,
            // since this node no longer receives the cluster's broadcasts.
            Log.ReadLoopFailed(_logger, _options.StreamName, exception);
        }
        finally
        {
            if (reader is not null) await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts at the stream's newest entry, as the reference's <c>$</c>, but with an id every adapter can compare.</summary>
    private async Task StartAsync(IDatabase database)
    {
        var newest = await database.StreamRangeAsync(_options.StreamName, "-", "+", count: 1, messageOrder: Order.Descending).ConfigureAwait(false);
        var position = newest.Length > 0 ? (string)newest[0].Id! : StreamOffset.Start;
        lock (_sync)
        {
            _position = position;
            foreach (var adapter in _adapters.Values) adapter.StartAt(position);
        }
        _reading.TrySetResult();
    }

    /// <summary>
    /// The entries of an XREAD reply of one stream: <c>[[name, entries]]</c> in RESP2, a map <c>{name: entries}</c>
    /// (flattened to <c>[name, entries]</c>) in RESP3.
    /// </summary>
    private static RedisResult[] Entries(RedisResult[] reply)
    {
        if (reply.Length == 0) return [];
        var pair = reply[0].Resp2Type == ResultType.Array ? (RedisResult[])reply[0]! : reply;
        return pair.Length >= 2 ? (RedisResult[])pair[1]! : [];
    }

    private void Dispatch(RedisResult entry)
    {
        var parts = (RedisResult[])entry!;
        var id = (string)parts[0]!;
        var values = (RedisResult[])parts[1]!;
        var fields = new NameValueEntry[values.Length / 2];
        for (var i = 0; i < fields.Length; i++) fields[i] = new NameValueEntry((RedisValue)values[2 * i], (RedisValue)values[2 * i + 1]);
        lock (_sync) _position = id;
        var message = StreamEntryCodec.TryDecode(fields);
        if (message is null)
        {
            Log.MalformedEntry(_logger, id, _options.StreamName);
            return;
        }
        if (_adapters.TryGetValue(message.Namespace, out var adapter)) adapter.OnStreamEntry(message, id);
    }

    private static partial class Log
    {
        [LoggerMessage(1120, LogLevel.Debug, "Reading Redis stream {Stream} failed; reading again shortly.", EventName = "StreamReadFailed")]
        public static partial void ReadFailed(ILogger logger, string stream, Exception exception);

        [LoggerMessage(1122, LogLevel.Error, "Reading Redis stream {Stream} stopped: this node no longer receives the other nodes' broadcasts.", EventName = "StreamReadLoopFailed")]
        public static partial void ReadLoopFailed(ILogger logger, string stream, Exception exception);

        [LoggerMessage(1121, LogLevel.Debug, "Ignored entry {Id} of Redis stream {Stream}: not a cluster message.", EventName = "MalformedStreamEntry")]
        public static partial void MalformedEntry(ILogger logger, string id, string stream);
    }
}
