using StackExchange.Redis;

namespace SocketIo.Redis.Internal.Streams;

/// <summary>
/// The session writes of one adapter, coalesced: each private session id has at most one pending write (the latest
/// wins: a join, a leave and a data change in the same instant make one SET), and the pending writes go out together,
/// in order, from one flush at a time, without awaiting Redis (fire and forget, pipelined by the multiplexer). No socket
/// ever waits for Redis.
/// </summary>
internal sealed class SessionWriter(IDatabase database, string keyPrefix, Func<string, (string Value, TimeSpan Expiry)?> buildLive)
{
    // Writes of the same burst (a socket connecting and joining its rooms in its connection handler) are gathered this long.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(5);

    private readonly object _sync = new();
    private Dictionary<string, Write> _pending = new(StringComparer.Ordinal);
    private bool _scheduled;

    /// <summary>The live session of a connected socket (built when flushed, from the socket's state then).</summary>
    public void Live(string privateId, string socketId) => Schedule(privateId, new Write(WriteKind.Live, socketId, null, default));

    /// <summary>A session as its socket left it, stored for <paramref name="expiry"/>.</summary>
    public void Final(string privateId, string value, TimeSpan expiry) => Schedule(privateId, new Write(WriteKind.Final, null, value, expiry));

    /// <summary>A session that can no longer be resumed.</summary>
    public void Delete(string privateId) => Schedule(privateId, new Write(WriteKind.Delete, null, null, default));

    public RedisKey Key(string privateId) => keyPrefix + privateId;

    /// <summary>Sends what is pending now, and completes once Redis has handled it (a PING answered after it).</summary>
    public async Task FlushAsync()
    {
        Dictionary<string, Write> batch;
        lock (_sync)
        {
            batch = _pending;
            _pending = new Dictionary<string, Write>(StringComparer.Ordinal);
        }
        foreach (var (privateId, write) in batch) Send(privateId, write);
        await database.PingAsync().ConfigureAwait(false);
    }

    private void Schedule(string privateId, Write write)
    {
        lock (_sync)
        {
            _pending[privateId] = write;
            if (_scheduled) return;
            _scheduled = true;
        }
        _ = FlushLaterAsync();
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(Gather).ConfigureAwait(false);
        while (true)
        {
            Dictionary<string, Write> batch;
            lock (_sync)
            {
                if (_pending.Count == 0)
                {
                    _scheduled = false;
                    return;
                }
                batch = _pending;
                _pending = new Dictionary<string, Write>(StringComparer.Ordinal);
            }
            foreach (var (privateId, write) in batch)
            {
                try
                {
                    Send(privateId, write);
                }
                catch (RedisException)
                {
                    // Redis is away (the connection logs the outage once): this write is lost, the next change of the
                    // session writes it whole again.
                }
            }
        }
    }

    private void Send(string privateId, Write write)
    {
                switch (write.Kind)
                {
                    case WriteKind.Live:
                        // Gone meanwhile: its Final or Delete is in a later batch.
                        if (buildLive(write.SocketId!) is { } live) database.StringSet(Key(privateId), live.Value, live.Expiry, flags: CommandFlags.FireAndForget);
                        break;
                    case WriteKind.Final:
                        database.StringSet(Key(privateId), write.Value, write.Expiry, flags: CommandFlags.FireAndForget);
                        break;
                    case WriteKind.Delete:
                        database.KeyDelete(Key(privateId), CommandFlags.FireAndForget);
                        break;
                }
    }

    private enum WriteKind
    {
        Live,
        Final,
        Delete,
    }

    private readonly record struct Write(WriteKind Kind, string? SocketId, string? Value, TimeSpan Expiry);
}
