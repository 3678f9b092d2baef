using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using EngineIo.Internal.Direct;
using EngineIo.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;

namespace EngineIo.Tests.Internal.Direct;

/// <summary>
/// The hand-over to Kestrel's HTTP stack, on in-memory pipes: whatever the middleware does not take, the next
/// delegate reads whole, from the first byte.
/// </summary>
public sealed class DirectWebSocketMiddlewareTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static (DirectWebSocketMiddleware Middleware, InMemoryConnection Pipes, DefaultConnectionContext Context, TaskCompletionSource<string> HandedOver) Create(
        TimeSpan? idleTimeout = null, TimeSpan? headTimeout = null, TaskCompletionSource? entered = null)
    {
        var pipes = new InMemoryConnection();
        var context = new DefaultConnectionContext("test", pipes, pipes);
        var handedOver = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new EngineIoServer(new EngineIoOptions { Path = "/socket.io" }, new NullHandler());
        var middleware = new DirectWebSocketMiddleware(async connection =>
        {
            entered?.TrySetResult();
            // The HTTP stack's view: everything the client sent so far, from the start.
            var result = await connection.Transport.Input.ReadAsync();
            handedOver.TrySetResult(Encoding.ASCII.GetString(result.Buffer.ToArray()));
            connection.Transport.Input.AdvanceTo(result.Buffer.End);
        }, () => server, idleTimeout, headTimeout);
        return (middleware, pipes, context, handedOver);
    }

    [Fact]
    public async Task Another_request_is_handed_over_untouched()
    {
        var (middleware, pipes, context, handedOver) = Create();
        var run = middleware.OnConnectionAsync(context);
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        (await handedOver.Task.WaitAsync(Timeout)).Should().Be("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_head_sent_in_pieces_is_read_whole_before_it_is_judged()
    {
        var (middleware, pipes, context, handedOver) = Create();
        var run = middleware.OnConnectionAsync(context);
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n"));
        handedOver.Task.IsCompleted.Should().BeFalse("the head is not whole yet");
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes("Host: x\r\n\r\n"));
        (await handedOver.Task.WaitAsync(Timeout)).Should().Be("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_quiet_connection_is_handed_over_and_its_first_bytes_reach_the_http_stack()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (middleware, pipes, context, handedOver) = Create(idleTimeout: TimeSpan.FromMilliseconds(50), entered: entered);
        var run = middleware.OnConnectionAsync(context);
        await entered.Task.WaitAsync(Timeout);
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"));
        (await handedOver.Task.WaitAsync(Timeout)).Should().Be("GET / HTTP/1.1\r\n\r\n");
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_head_begun_but_not_finished_in_time_is_dropped()
    {
        var (middleware, pipes, context, handedOver) = Create(idleTimeout: TimeSpan.FromMilliseconds(50), headTimeout: TimeSpan.FromMilliseconds(300));
        var run = middleware.OnConnectionAsync(context);
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHo"));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.ConnectionClosed.Register(() => closed.TrySetResult());
        await closed.Task.WaitAsync(Timeout);
        handedOver.Task.IsCompleted.Should().BeFalse("a stalled head is dropped, not handed over");
        // On Kestrel the abort also ends the read; these test pipes need their writer completed.
        await pipes.Incoming.Writer.CompleteAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_connection_that_closes_before_a_request_ends_quietly()
    {
        var (middleware, pipes, context, handedOver) = Create();
        var run = middleware.OnConnectionAsync(context);
        await pipes.Incoming.Writer.CompleteAsync();
        // Nothing came: the HTTP stack gets the empty, completed connection and ends it as it would have.
        (await handedOver.Task.WaitAsync(Timeout)).Should().BeEmpty();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_websocket_handshake_is_answered_here()
    {
        var (middleware, pipes, context, handedOver) = Create();
        _ = middleware.OnConnectionAsync(context);
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes(
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var result = await pipes.Outgoing.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            received.Append(Encoding.Latin1.GetString(result.Buffer.ToArray()));
            pipes.Outgoing.Reader.AdvanceTo(result.Buffer.End);
        }
        received.ToString().Should().StartWith("HTTP/1.1 101 Switching Protocols\r\n").And.Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        handedOver.Task.IsCompleted.Should().BeFalse();
        await pipes.Incoming.Writer.CompleteAsync();
    }

    [Fact]
    public async Task Without_direct_answers_a_handshake_goes_to_the_http_stack_alone_and_what_it_writes_reaches_the_client()
    {
        var pipes = new InMemoryConnection();
        var context = new DefaultConnectionContext("test", pipes, pipes);
        var server = new EngineIoServer(new EngineIoOptions { Path = "/socket.io" }, new NullHandler());
        const string head = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        string? seen = null;
        var middleware = new DirectWebSocketMiddleware(async http =>
        {
            // The HTTP stack's view: its own connection and pipes, the head, then the end of its input.
            http.Should().NotBeSameAs(context);
            http.Transport.Should().NotBeSameAs(context.Transport);
            http.Features.Get<WebSocketHandoff>().Should().NotBeNull();
            var input = new StringBuilder();
            while (true)
            {
                var result = await http.Transport.Input.ReadAsync();
                input.Append(Encoding.ASCII.GetString(result.Buffer.ToArray()));
                http.Transport.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
            seen = input.ToString();
            // A refusal, as a pipeline would write it; no session is handed over.
            await http.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"));
        }, () => server, direct: false);
        var run = middleware.OnConnectionAsync(context);
        await pipes.Incoming.Writer.WriteAsync(Encoding.ASCII.GetBytes(head + "more"));
        await run.WaitAsync(Timeout);
        seen.Should().Be(head, "the HTTP stack gets the one request, not what follows it");
        var answer = await pipes.Outgoing.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Encoding.ASCII.GetString(answer.Buffer.ToArray()).Should().Be("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
    }

    private sealed class NullHandler : IEngineIoHandler
    {
        public void OnOpened(EngineSession session)
        {
        }

        public ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8) => ValueTask.CompletedTask;

        public ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data) => ValueTask.CompletedTask;

        public void OnClosed(EngineSession session, EngineCloseReason reason, string? description)
        {
        }
    }
}
