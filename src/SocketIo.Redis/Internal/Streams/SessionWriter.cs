using StackExchange.Redis;

namespace SocketIo.Redis.Internal.Streams;

/// <summary>
/// The session writes of one adapter. Writes of connected sockets' sessions are coalesced: each private session id has
/// at most one pending (a connect, its joins and a data change in the same instant make one SET, built from the
/// socket's state when sent), and they go out together, from one flush at a time. A session's last write (stored at
/// disconnection, or deleted) goes out at once. Nothing awaits Redis (fire and forget, pipelined by the multiplexer):
/// no socket ever waits for it.
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

    /// <summary>A session as its socket left it, stored for <paramref name="expiry"/>: sent at once, its client may already be reconnecting elsewhere.</summary>
    public void Final(string privateId, string value, TimeSpan expiry) => SendNow(privateId, new Write(WriteKind.Final, null, value, expiry));

    /// <summary>A session that can no longer be resumed: deleted at once.</summary>
    public void Delete(string privateId) => SendNow(privateId, new Write(WriteKind.Delete, null, null, default));

    private void SendNow(string privateId, Write write)
    {
        // A live write still gathering is obsolete (its socket is gone, so it would build nothing anyway).
        lock (_sync) _pending.Remove(privateId);
        try
        {
            Send(privateId, write);
        }
        catch (RedisException)
        {
            // Redis is away (the connection logs the outage once): the session is lost with this write.
        }
    }

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
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // Redis is away (the connection logs the outage once), or the session could not be built (logged
                    // where it was built): this write is lost, the next change of the session writes it whole again.
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
