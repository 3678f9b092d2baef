using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace SocketIo.Tests.Integration;

/// <summary>
/// <c>UseSocketIoDirectWebSockets</c>: fresh WebSocket connections are answered at the connection level, everything
/// else reaches the HTTP stack unchanged, on the same port.
/// </summary>
public sealed class DirectWebSocketTests
{
    private const string Handshake =
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    [Fact]
    public async Task A_websocket_client_is_served_below_the_http_stack()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        var head = await RawHeadAsync(server, Handshake);
        head.Should().StartWith("HTTP/1.1 101 Switching Protocols\r\n");
        head.Should().Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        // The HTTP stack would have added its Server header: this is how the test knows which path answered.
        head.Should().NotContain("Server:");
    }

    [Fact]
    public async Task Sockets_work_as_on_the_http_path_and_see_their_request()
    {
        SocketIoSocket? seen = null;
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => seen = s), directWebSockets: true);
        await using var client = await RawClient.ConnectAsync(server, "&token=abc", o => o.SetRequestHeader("X-Test", "yes"));
        var sid = await client.JoinAsync();
        await client.SendAsync("421[\"echo\",\"hello\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"hello\"]");

        var socket = server.Socket(sid);
        socket.TransportName.Should().Be("websocket");
        socket.Handshake.Query["token"].ToString().Should().Be("abc");
        socket.Handshake.Headers["X-Test"].ToString().Should().Be("yes");
        socket.Handshake.Url.Should().Be("/socket.io/?EIO=4&transport=websocket&token=abc");
        socket.Handshake.Address.Should().NotBeNull();
        socket.Handshake.User.Identity!.IsAuthenticated.Should().BeFalse();

        socket.Disconnect(close: true);
        await client.WaitClosedAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.ServerNamespaceDisconnect);
    }

    [Fact]
    public async Task A_client_that_leaves_is_seen_as_a_transport_close()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();
        await client.CloseAsync();
        (await server.DisconnectReasonAsync(sid)).Should().Be(DisconnectReason.TransportClose);
        await server.AssertAliveAsync();
    }

    [Fact]
    public async Task Polling_and_other_requests_still_reach_the_http_stack()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestServer.Timeout };
        (await http.GetStringAsync("/socket.io/?EIO=4&transport=polling")).Should().StartWith("0{\"sid\":");
        (await http.GetAsync("/elsewhere")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        // An unsupported protocol is refused by the HTTP path, with its usual error.
        var refused = await RawHeadAsync(server, Handshake.Replace("EIO=4", "EIO=9"));
        refused.Should().StartWith("HTTP/1.1 400").And.Contain("Server: Kestrel");
    }

    [Fact]
    public async Task Handshakes_that_need_the_pipeline_go_through_it()
    {
        var asked = 0;
        await using var server = await TestServer.StartAsync(
            options: o => o.Engine.AllowRequest = _ =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(EngineIo.AllowRequestResult.Allow);
            },
            directWebSockets: true);
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();
        asked.Should().Be(1, "AllowRequest needs the HttpContext, so the handshake took the HTTP path");
    }

    [Fact]
    public async Task Garbage_gets_kestrels_answer_and_the_server_lives_on()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        (await RawHeadAsync(server, "GARBAGE\r\n\r\n")).Should().StartWith("HTTP/1.1 400");
        (await RawHeadAsync(server, Handshake.Replace("Upgrade: websocket\r\n", "Upgrade: websocket\r\nBad Header: x\r\n"))).Should().StartWith("HTTP/1.1 400");
        await server.AssertAliveAsync();
    }

    [Fact]
    public async Task Shutting_down_closes_direct_sockets_with_going_away()
    {
        var server = await TestServer.StartAsync(directWebSockets: true);
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();
        await server.DisposeAsync();
        await client.WaitClosedAsync();
    }

    /// <summary>Sends raw bytes on a new connection and returns the response head.</summary>
    private static async Task<string> RawHeadAsync(TestServer server, string request)
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
            if (count == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }
        return received.ToString();
    }
}
