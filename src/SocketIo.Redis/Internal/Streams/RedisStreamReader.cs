using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIo.Redis.Internal.Streams;

/// <summary>
/// The loop that reads one stream and hands each entry to the adapter of its namespace, in stream order. A server
/// has one per stream its namespaces write to (one, unless <see cref="RedisStreamsAdapterOptions.StreamCount"/> spreads
/// the namespaces over several).
/// </summary>
/// <remarks>
/// Reading uses a blocking <c>XREAD BLOCK</c> on a connection of its own. A StackExchange.Redis multiplexer
/// pipelines every caller's commands on one socket, so a blocking command on the shared connection would hold up
/// every other command for up to the block time (and two streams' reads on one connection would hold up each other);
/// polling with non-blocking reads instead would add up to a poll interval of latency to every cross-node broadcast,
/// or cost a round trip per interval per server when idle. A dedicated multiplexer that only ever carries this loop's
/// reads blocks nobody, returns as soon as an entry is appended, and costs one idle command per block time (its
/// timeout is raised above the block time).
/// </remarks>
internal sealed partial class RedisStreamReader
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly ConfigurationOptions _configuration;
    private readonly RedisStreamsAdapterOptions _options;
    private readonly ILogger _logger;
    // Namespace name -> its adapter; guarded by _sync, read by the loop under it.
    private readonly Dictionary<string, RedisStreamsAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _sync = new();
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private string? _position;

    public RedisStreamReader(string stream, ConfigurationOptions readerConfiguration, RedisStreamsAdapterOptions options, ILogger logger)
    {
        Stream = stream;
        _options = options;
        _logger = logger;
        _configuration = readerConfiguration.Clone();
        // A read may block for BlockTime: it must not time out before Redis answers.
        var timeout = (int)Math.Min(int.MaxValue, options.BlockTime.TotalMilliseconds + 5_000);
        _configuration.AsyncTimeout = Math.Max(_configuration.AsyncTimeout, timeout);
        _configuration.SyncTimeout = Math.Max(_configuration.SyncTimeout, timeout);
        _configuration.AbortOnConnectFail = false;
    }

    /// <summary>The stream's key.</summary>
    public string Stream { get; }

    /// <summary>Completes once the loop knows where the stream ends and reads after it.</summary>
    public Task Reading => _reading.Task;

    /// <summary>Hands the entries of <paramref name="adapter"/>'s namespace to it from now on; starts the loop with the first.</summary>
    public void Add(RedisStreamsAdapter adapter)
    {
        lock (_sync)
        {
            _adapters[adapter.Namespace.Name] = adapter;
            // Entries handed out before this adapter existed were for no socket of its namespace.
            if (_position is not null) adapter.StartAt(_position);
            _loop ??= Task.Run(ReadLoopAsync);
        }
    }

    /// <summary>Forgets <paramref name="adapter"/>; returns true when it was the last one (the caller then stops the reader).</summary>
    public bool Remove(RedisStreamsAdapter adapter)
    {
        lock (_sync)
        {
            if (_adapters.TryGetValue(adapter.Namespace.Name, out var current) && current == adapter) _adapters.Remove(adapter.Namespace.Name);
            return _adapters.Count == 0;
        }
    }

    /// <summary>Ends the loop (its pending read is abandoned with its connection) and waits for it.</summary>
    public async ValueTask StopAsync()
    {
        Task? loop;
        lock (_sync)
        {
            _stop.Cancel();
            loop = _loop;
        }
        if (loop is not null) await loop.ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        ConnectionMultiplexer? reader = null;
        try
        {
            reader = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
            var database = reader.GetDatabase();
            var blockMs = (long)_options.BlockTime.TotalMilliseconds;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (_position is null) await StartAsync(database).ConfigureAwait(false);
                    var result = await database.ExecuteAsync("XREAD", "BLOCK", blockMs, "COUNT", _options.ReadCount, "STREAMS", Stream, _position!)
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
                    Log.ReadFailed(_logger, Stream, exception);
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
            Log.ReadLoopFailed(_logger, Stream, exception);
        }
        finally
        {
            if (reader is not null) await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts at the stream's newest entry, as the reference's <c>$</c>, but with an id every adapter can compare.</summary>
    private async Task StartAsync(IDatabase database)
    {
        var newest = await database.StreamRangeAsync(Stream, "-", "+", count: 1, messageOrder: Order.Descending).ConfigureAwait(false);
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
        RedisStreamsAdapter? adapter;
        var message = StreamEntryCodec.TryDecode(fields);
        lock (_sync)
        {
            _position = id;
            if (message is null)
            {
                adapter = null;
            }
            else
            {
                // Only the namespaces that write to this stream: a node that maps a namespace to another stream (another
                // StreamCount) is misconfigured, and its ids cannot be compared with this stream's.
                _adapters.TryGetValue(message.Namespace, out adapter);
            }
        }
        if (message is null)
        {
            Log.MalformedEntry(_logger, id, Stream);
            return;
        }
        adapter?.OnStreamEntry(message, id);
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
