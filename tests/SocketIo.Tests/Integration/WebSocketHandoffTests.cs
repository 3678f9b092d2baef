using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SocketIo.Tests.Integration;

/// <summary>
/// The WebSocket handoff that <c>AddSocketIo</c> installs on Kestrel's endpoints: a fresh WebSocket's handshake runs the
/// whole HTTP pipeline, and once it is answered the HTTP request ends while the session goes on, on the connection.
/// </summary>
public sealed class WebSocketHandoffTests
{
    private const string Handshake =
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /// <summary>
    /// A middleware that refuses handshakes without a token, signs in those with one, and reports when the request
    /// it saw ends.
    /// </summary>
    private static Action<WebApplication> Gate(TaskCompletionSource requestEnded) => app => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/socket.io")) { await next(); return; }
        if (context.Request.Query["token"] != "abc")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        context.Response.Headers["X-Gate"] = "passed";
        await next();
        if (context.WebSockets.IsWebSocketRequest) requestEnded.TrySetResult();
    });

    [Fact]
    public async Task The_handshake_runs_the_pipeline_and_the_request_ends_while_the_socket_lives_on()
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(endpoints: Gate(ended));
        await using var client = await RawClient.ConnectAsync(server, "&token=abc");
        var sid = await client.JoinAsync();
        // The request is over (its middleware ran to its end) while the socket is still connected and working.
        await ended.Task.WaitAsync(TestServer.Timeout);
        await client.SendAsync("421[\"echo\",\"hello\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"hello\"]");

        var socket = server.Socket(sid);
        socket.Handshake.User.Identity!.Name.Should().Be("ada", "the pipeline's authentication is seen by the socket");
        socket.Handshake.Query["token"].ToString().Should().Be("abc");
        socket.Disconnect(close: true);
        await client.WaitClosedAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerNamespaceDisconnect);
    }

    [Fact]
    public async Task The_pipelines_answer_and_headers_reach_the_client()
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(endpoints: Gate(ended));
        var accepted = await RawHeadAsync(server, Handshake.Replace("transport=websocket", "transport=websocket&token=abc"));
        accepted.Should().StartWith("HTTP/1.1 101 Switching Protocols\r\n");
        accepted.Should().Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n").And.Contain("X-Gate: passed\r\n").And.Contain("Server: Kestrel");
        // A handshake the pipeline refuses gets its answer, then the end of the connection.
        var (refused, closed) = await RawHeadAndEndAsync(server, Handshake);
        refused.Should().StartWith("HTTP/1.1 401");
        closed.Should().BeTrue();
        await using var client = await RawClient.ConnectAsync(server, "&token=abc");
        await client.JoinAsync();
        await client.SendAsync("421[\"echo\",\"alive\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"alive\"]");
    }

    [Fact]
    public async Task A_client_that_leaves_is_seen_as_a_transport_close()
    {
        await using var server = await TestServer.StartAsync();
        var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        await client.CloseAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.TransportClose);
        await server.AssertAliveAsync();
    }

    [Fact]
    public async Task A_client_that_leaves_while_the_pipeline_works_on_its_handshake_aborts_the_request()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(endpoints: app => app.Use(async (context, next) =>
        {
            if (context.Request.Query["token"] != "slow") { await next(); return; }
            // A middleware waiting on something slow (a remote authentication, say) for as long as the client is there.
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }
        }));
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(TestServer.Timeout);
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Handshake.Replace("transport=websocket", "transport=websocket&token=slow")));
            await entered.Task.WaitAsync(TestServer.Timeout);
        }

        await aborted.Task.WaitAsync(TestServer.Timeout);
        await server.AssertAliveAsync();
    }

    [Fact]
    public async Task Turned_off_the_websocket_stays_inside_its_request()
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(options: o => o.Engine.WebSocketHandoff = false, endpoints: Gate(ended));
        await using var client = await RawClient.ConnectAsync(server, "&token=abc");
        var sid = await client.JoinAsync();
        await client.SendAsync("421[\"echo\",\"x\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"x\"]");
        ended.Task.IsCompleted.Should().BeFalse("the request lasts as long as the WebSocket");
        server.Socket(sid).Disconnect(close: true);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Shutting_down_closes_handed_off_sockets()
    {
        var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();
        await server.DisposeAsync();
        await client.WaitClosedAsync();
    }

    private static async Task<string> RawHeadAsync(TestServer server, string request) => (await RawHeadAndEndAsync(server, request, waitForEnd: false)).Head;

    /// <summary>Sends raw bytes on a new connection; returns the response head and whether the server then closed the connection.</summary>
    private static async Task<(string Head, bool Closed)> RawHeadAndEndAsync(TestServer server, string request, bool waitForEnd = true)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(TestServer.Timeout);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(TestServer.Timeout);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var count = await stream.ReadAsync(buffer).AsTask().WaitAsync(TestServer.Timeout);
            if (count == 0) return (received.ToString(), true);
            received.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }
        if (!waitForEnd) return (received.ToString(), false);
        // Whatever body follows, the connection must end.
        while (await stream.ReadAsync(buffer).AsTask().WaitAsync(TestServer.Timeout) > 0) { }
        return (received.ToString(), true);
    }
}
