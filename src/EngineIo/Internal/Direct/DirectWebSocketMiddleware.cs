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
    // A connection whose first request has not arrived whole by then goes on to the HTTP stack, whose own timeouts
    // (keep-alive, request headers) then decide; a browser's pre-opened connection may rightly stay quiet for longer.
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    private readonly ConnectionDelegate _next;
    private readonly Func<EngineIoServer> _server;

    public DirectWebSocketMiddleware(ConnectionDelegate next, Func<EngineIoServer> server)
    {
        _next = next;
        _server = server;
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
        using var timeout = TimeProvider.System.CreateTimer(static state => ((PipeReader)state!).CancelPendingRead(), input, HeadTimeout, Timeout.InfiniteTimeSpan);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException)
            {
                // Gone before its first request: nothing to hand on.
                return Task.CompletedTask;
            }

            var buffer = result.Buffer;
            var verdict = UpgradeRequestHead.TryRead(buffer, server.Options.Path, out var head, out var headEnd);
            if (verdict == HeadVerdict.Incomplete && !result.IsCompleted && !result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            if (verdict != HeadVerdict.Ours || !server.CanAcceptDirectly(head!, out var request))
            {
                // Not ours, or not whole in time (the timer cancelled the read): nothing consumed, and Kestrel's HTTP
                // stack reads the same bytes from the start.
                input.AdvanceTo(buffer.Start);
                return null;
            }

            input.AdvanceTo(headEnd);
            await WriteSwitchingProtocolsAsync(connection.Transport.Output, head!.WebSocketKey).ConfigureAwait(false);
            return server.RunDirectWebSocketAsync(connection, head, request);
        }
    }

    private static async ValueTask WriteSwitchingProtocolsAsync(PipeWriter output, string key)
    {
        output.Write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: "u8);
        output.Write(Encoding.ASCII.GetBytes(AcceptValue(key)));
        output.Write("\r\n\r\n"u8);
        await output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>RFC 6455: base64(SHA-1(key + the protocol's GUID)).</summary>
    internal static string AcceptValue(string key)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), hash);
        return Convert.ToBase64String(hash);
    }
}
