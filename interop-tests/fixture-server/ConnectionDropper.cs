using System.Collections.Concurrent;

namespace FixtureServer;

/// <summary>
/// Drops a client's connection the way a network failure would, for the recovery interop tests: the HTTP requests
/// that carry its Engine.IO session (the WebSocket, or the pending poll and the POST) are aborted, so the server
/// sees a transport error rather than a close it asked for. A middleware tracks the requests by their <c>sid</c>.
/// <para>
/// A real client comes back after the server noticed the failure only if it is slow enough; on a busy machine a
/// quick one may not be, and would get a new session. The tests are about what happens once the server noticed, so
/// new connections wait (a few seconds at most) until the dropped socket has disconnected on the server.
/// </para>
/// </summary>
internal sealed class ConnectionDropper(IHttpContextAccessor accessor)
{
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, byte>> _requestsBySid = new(StringComparer.Ordinal);
    // Sessions dropped: a polling client may not have had a poll waiting at that instant, so its next requests fail too.
    private readonly ConcurrentDictionary<string, byte> _dropped = new(StringComparer.Ordinal);
    private Task _lastDropSettled = Task.CompletedTask;

    /// <summary>The middleware: holds new connections during a drop, and remembers every request of a session while it runs.</summary>
    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        var sid = context.Request.Query["sid"].ToString();
        if (sid.Length == 0)
        {
            // A handshake: a new connection, maybe the dropped client coming back.
            await Volatile.Read(ref _lastDropSettled).WaitAsync(MaxHold).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await next(context);
            return;
        }
        // Aborted, but still handed to the engine, so that it notices the failure at once.
        if (_dropped.ContainsKey(sid)) context.Abort();
        var requests = _requestsBySid.GetOrAdd(sid, _ => new ConcurrentDictionary<HttpContext, byte>());
        requests[context] = 0;
        try
        {
            await next(context);
        }
        finally
        {
            requests.TryRemove(context, out _);
            if (requests.IsEmpty) _requestsBySid.TryRemove(new KeyValuePair<string, ConcurrentDictionary<HttpContext, byte>>(sid, requests));
        }
    }

    /// <summary>
    /// Drops the connection of the request being handled: called from an event handler, which runs in the flow of
    /// the request that carried the event (a WebSocket without a sid when it was the first transport).
    /// <paramref name="settled"/> completes once the server has noticed.
    /// </summary>
    public void DropCurrent(Task settled)
    {
        Volatile.Write(ref _lastDropSettled, settled);
        var current = accessor.HttpContext ?? throw new InvalidOperationException("No request is being handled.");
        var sid = current.Request.Query["sid"].ToString();
        if (sid.Length > 0)
        {
            _dropped[sid] = 0;
            if (_requestsBySid.TryGetValue(sid, out var requests))
            {
                foreach (var request in requests.Keys) request.Abort();
            }
        }
        current.Abort();
    }
}
