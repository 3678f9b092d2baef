using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace EngineIo.Internal.Direct;

/// <summary>
/// A Kestrel connection middleware that takes a fresh Engine.IO WebSocket handshake itself, below ASP.NET Core's HTTP
/// stack, and hands every other connection on untouched (see <c>UseEngineIoDirectWebSockets</c>). A WebSocket accepted
/// through the HTTP stack keeps that stack's per-request state (connection, headers, context, streams) for its whole
/// life, about half of what an idle connection costs; taken here, it keeps only the transport's pipes.
/// </summary>
internal sealed class DirectWebSocketMiddleware
{
    // A connection that has sent nothing by then goes on to the HTTP stack, whose keep-alive timeout then applies: a
    // browser's pre-opened connection may rightly stay quiet for longer.
    internal static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(10);

    // A head begun but not finished by then is dropped, as Kestrel's RequestHeadersTimeout (30 s by default) would.
    // (It cannot be handed on instead: a pipe whose pending read was cancelled does not wake its next reader for
    // bytes already there.)
    internal static readonly TimeSpan DefaultHeadTimeout = TimeSpan.FromSeconds(30);

    private readonly ConnectionDelegate _next;
    private readonly Func<EngineIoServer> _server;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _headTimeout;
    private readonly bool _direct;

    /// <param name="next">The rest of the connection's pipeline (Kestrel's HTTP stack).</param>
    /// <param name="server">Finds the engine.</param>
    /// <param name="idleTimeout">How long a connection may send nothing before the HTTP stack takes over the wait.</param>
    /// <param name="headTimeout">How long a head may take to arrive whole.</param>
    /// <param name="direct">
    /// Whether handshakes that need nothing of the HTTP pipeline are answered here (direct WebSockets); the others, and
    /// all of them when false, go through the pipeline and come back here (<see cref="RunHttpStackAsync"/>).
    /// </param>
    public DirectWebSocketMiddleware(ConnectionDelegate next, Func<EngineIoServer> server, TimeSpan? idleTimeout = null, TimeSpan? headTimeout = null, bool direct = true)
    {
        _next = next;
        _direct = direct;
        _server = server;
        _idleTimeout = idleTimeout ?? DefaultIdleTimeout;
        _headTimeout = headTimeout ?? DefaultHeadTimeout;
    }

    public Task OnConnectionAsync(ConnectionContext connection)
    {
        var started = TryStartSessionAsync(connection);
        return started.IsCompletedSuccessfully ? started.Result ?? _next(connection) : ContinueAsync(started, connection);
    }

    // The connection's long wait (its session, or the HTTP stack) is awaited here rather than in TryStartSessionAsync,
    // whose state (the head, the buffers, the timer) would otherwise stay held for as long as the connection is open.
    private async Task ContinueAsync(ValueTask<Task?> started, ConnectionContext connection)
    {
        var session = await started.ConfigureAwait(false);
        // The parameter is a field of this frame, and it holds TryStartSessionAsync's finished box (232 B) for as long
        // as the connection is open unless cleared.
        started = default;
        await (session ?? _next(connection)).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the first request's head. Returns the running session when it is a handshake this server takes here, or
    /// null when the connection is for the HTTP stack, with nothing consumed.
    /// </summary>
    private async ValueTask<Task?> TryStartSessionAsync(ConnectionContext connection)
    {
        var server = _server();
        var input = connection.Transport.Input;
        using var timeout = new HeadTimeoutGuard(connection, _idleTimeout, _headTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                var read = input.ReadAsync();
                if (!read.IsCompleted) timeout.Start();
                result = await read.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException)
            {
                // Gone before its first request: nothing to hand on.
                return Task.CompletedTask;
            }

            var buffer = result.Buffer;
            if (result.IsCanceled && buffer.IsEmpty)
            {
                // Quiet for the idle timeout: the HTTP stack takes over the wait.
                input.AdvanceTo(buffer.Start);
                return null;
            }
            var verdict = UpgradeRequestHead.TryRead(buffer, server.Options.Path, out var head, out var headEnd);
            if (verdict == HeadVerdict.Incomplete && !result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            EngineRequest request = default;
            var direct = verdict == HeadVerdict.Ours && _direct && server.CanAcceptDirectly(head!, out request);
            if (verdict == HeadVerdict.Ours && !direct && !result.IsCanceled && server.CanHandOff(head!))
            {
                // The pipeline must see this handshake: it gets the request on its own, and the session comes back here.
                var headBytes = buffer.Slice(0, headEnd).ToArray();
                input.AdvanceTo(headEnd);
                timeout.Dispose();
                var (session, base64Only) = await RunHttpStackAsync(connection, headBytes).ConfigureAwait(false);
                // Returned, not awaited: the session outlives this frame (see ContinueAsync).
                return session is null ? Task.CompletedTask : server.RunHandedOffWebSocketAsync(connection, session, base64Only);
            }
            if (!direct)
            {
                if (result.IsCanceled)
                {
                    // The idle timeout fired just as the head arrived. A pipe whose read was cancelled does not wake
                    // its next reader for bytes already there, so handing on would stall: drop it, the client retries.
                    connection.Abort(new ConnectionAbortedException("The request head arrived as its wait ended."));
                    return Task.CompletedTask;
                }
                // Not ours: nothing consumed, and Kestrel's HTTP stack reads the same bytes from the start.
                input.AdvanceTo(buffer.Start);
                return null;
            }

            input.AdvanceTo(headEnd);
            timeout.Dispose();
            try
            {
                await WriteSwitchingProtocolsAsync(connection.Transport.Output, head!.WebSocketKey).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException)
            {
                return Task.CompletedTask;
            }
            return server.RunDirectWebSocketAsync(connection, head, request);
        }
    }

    /// <summary>
    /// Runs the HTTP stack on one request, the handshake whose bytes are <paramref name="head"/>, over pipes of its
    /// own, and returns the session the engine's endpoint hands back (<see cref="WebSocketHandoff"/>), if any, for the
    /// caller to run on the connection once the HTTP stack has ended. That stack's per-request state (the HTTP
    /// connection, headers, context, streams) is then gone, where an upgraded request would have kept it for as long as
    /// the WebSocket stays open.
    /// </summary>
    /// <remarks>
    /// The HTTP stack sees the head and then the end of the input: once it has answered (a 101, or a refusal), it has
    /// nothing more to read, and ends. What it writes is copied to the connection. A handshake the pipeline refuses is
    /// answered as usual and the connection then closes, as after any refused upgrade.
    /// </remarks>
    private async Task<(EngineSession? Session, bool Base64Only)> RunHttpStackAsync(ConnectionContext connection, byte[] head)
    {
        var input = new Pipe(new PipeOptions(useSynchronizationContext: false));
        var output = new Pipe(new PipeOptions(useSynchronizationContext: false));
        await input.Writer.WriteAsync(head).ConfigureAwait(false);
        await input.Writer.CompleteAsync().ConfigureAwait(false);
        var handoff = new WebSocketHandoff();
        var http = new HandoffConnectionContext(connection, new DuplexPipe(input.Reader, output.Writer), handoff);
        var copy = CopyAsync(output.Reader, connection.Transport.Output);
        try
        {
            await _next(http).ConfigureAwait(false);
        }
        finally
        {
            await output.Writer.CompleteAsync().ConfigureAwait(false);
            await copy.ConfigureAwait(false);
            await input.Reader.CompleteAsync().ConfigureAwait(false);
            await http.CompleteAsync().ConfigureAwait(false);
        }
        return (handoff.Session, handoff.Base64Only);
    }

    private static async Task CopyAsync(PipeReader from, PipeWriter to)
    {
        try
        {
            while (true)
            {
                var result = await from.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer) to.Write(segment.Span);
                from.AdvanceTo(result.Buffer.End);
                if (!result.Buffer.IsEmpty) await to.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
            // The connection broke while the HTTP stack answered: the session, if any, will find it broken.
        }
        await from.CompleteAsync().ConfigureAwait(false);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    private static async ValueTask WriteSwitchingProtocolsAsync(PipeWriter output, string key)
    {
        output.Write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: "u8);
        output.Write(Encoding.ASCII.GetBytes(AcceptValue(key)));
        output.Write("\r\n\r\n"u8);
        await output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The two deadlines of a head: after the idle timeout, a connection that has sent nothing is handed on (its read
    /// is cancelled); after the head timeout, one whose head is still not whole is aborted. Neither acts once
    /// <see cref="Dispose"/> returns: a late cancellation would land on the next reader of the pipe (the session, or
    /// Kestrel, which takes a cancelled read for its own graceful stop).
    /// </summary>
    private sealed class HeadTimeoutGuard(ConnectionContext connection, TimeSpan idleTimeout, TimeSpan headTimeout) : IDisposable
    {
        private ITimer? _idle;
        private ITimer? _head;
        private bool _done;

        /// <summary>
        /// Starts the deadlines, the first time a read has to wait: most connections' first head is already there when
        /// it is read, and the two timers would be two allocations and two trips through the timer queue's lock each.
        /// </summary>
        public void Start()
        {
            lock (this)
            {
                if (_done || _idle is not null) return;
                _idle = TimeProvider.System.CreateTimer(static state => ((HeadTimeoutGuard)state!).Fire(abort: false), this, idleTimeout, Timeout.InfiniteTimeSpan);
                _head = TimeProvider.System.CreateTimer(static state => ((HeadTimeoutGuard)state!).Fire(abort: true), this, headTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire(bool abort)
        {
            lock (this)
            {
                if (_done) return;
                if (abort) connection.Abort(new ConnectionAbortedException("The request head did not arrive in time."));
                else connection.Transport.Input.CancelPendingRead();
            }
        }

        public void Dispose()
        {
            lock (this) _done = true;
            _idle?.Dispose();
            _head?.Dispose();
        }
    }

    /// <summary>RFC 6455: base64(SHA-1(key + the protocol's GUID)).</summary>
    internal static string AcceptValue(string key)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), hash);
        return Convert.ToBase64String(hash);
    }
}
