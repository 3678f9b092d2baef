using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SocketIo.Tests.Integration;

/// <summary>
/// Socket.IO 2.x clients (Engine.IO v3, Socket.IO protocol v4) with <see cref="SocketIoOptions.AllowEIO3"/>, seen
/// through their exact WebSocket frames.
/// </summary>
public sealed class LegacyClientTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    // A v3 client pings the server: a long interval keeps these raw clients, which do not, connected meanwhile.
    private static Task<TestServer> StartAsync(Action<SocketIoServer>? configure = null) =>
        TestServer.StartAsync(configure, o =>
        {
            o.AllowEIO3 = true;
            o.PingInterval = TimeSpan.FromSeconds(30);
        });

    /// <summary>A bare v3 WebSocket client: exact frames in and out, read one at a time.</summary>
    private sealed class LegacyClient : IAsyncDisposable
    {
        private readonly ClientWebSocket _ws = new();

        public string Sid { get; private set; } = "";

        public static async Task<LegacyClient> ConnectAsync(TestServer server)
        {
            var client = new LegacyClient();
            await client._ws.ConnectAsync(new Uri($"ws://{server.BaseUri.Authority}/socket.io/?EIO=3&transport=websocket"), CancellationToken.None).WaitAsync(Timeout);
            var open = await client.ReceiveTextAsync();
            open.Should().StartWith("0{");
            client.Sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
            return client;
        }

        public Task SendAsync(string text) =>
            _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

        public Task SendBinaryAsync(byte[] frame) =>
            _ws.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);

        public async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync()
        {
            var buffer = new byte[8192];
            using var data = new MemoryStream();
            while (true)
            {
                var result = await _ws.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
                data.Write(buffer, 0, result.Count);
                if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close) return (result.MessageType, data.ToArray());
            }
        }

        public async Task<string> ReceiveTextAsync()
        {
            var (type, data) = await ReceiveAsync();
            type.Should().Be(WebSocketMessageType.Text);
            return Encoding.UTF8.GetString(data);
        }

        public async Task<byte[]> ReceiveBinaryAsync()
        {
            var (type, data) = await ReceiveAsync();
            type.Should().Be(WebSocketMessageType.Binary);
            return data;
        }

        public ValueTask DisposeAsync()
        {
            _ws.Abort();
            _ws.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_2x_client_is_joined_to_the_main_namespace_at_once_under_its_session_id()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.OnConnection(s => connected.TrySetResult(s)));
        await using var client = await LegacyClient.ConnectAsync(server);

        // A bare CONNECT: a 2.x client works its socket id out itself, and the server's must be the same.
        (await client.ReceiveTextAsync()).Should().Be("40");
        var socket = await connected.Task.WaitAsync(Timeout);
        socket.Id.Should().Be(client.Sid);
        socket.Handshake.Auth.EnumerateObject().Should().BeEmpty();
    }

    [Fact]
    public async Task The_query_of_a_namespace_connect_becomes_the_handshake_auth()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.Of("/admin").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await LegacyClient.ConnectAsync(server);
        (await client.ReceiveTextAsync()).Should().Be("40");

        await client.SendAsync("40/admin?token=abc&name=J%C3%BCrgen+M&dup=1&dup=2,");

        (await client.ReceiveTextAsync()).Should().Be("40/admin,");
        var socket = await connected.Task.WaitAsync(Timeout);
        socket.Id.Should().Be("/admin#" + client.Sid);
        socket.Namespace.Name.Should().Be("/admin");
        var auth = socket.Handshake.Auth;
        auth.EnumerateObject().Select(p => p.Name).Should().Equal("token", "name", "dup");
        auth.GetProperty("token").GetString().Should().Be("abc");
        auth.GetProperty("name").GetString().Should().Be("Jürgen M");
        auth.GetProperty("dup").GetString().Should().Be("2", "the last of repeated names wins, as with Object.fromEntries");

        // The namespace was joined under its name, without the query: a second CONNECT to it is a protocol error.
        await client.SendAsync("40/admin,");
        (await client.ReceiveTextAsync()).Should().Be("1");
        (await client.ReceiveAsync()).Type.Should().Be(WebSocketMessageType.Close);
    }

    [Fact]
    public async Task Events_acks_and_binary_attachments_use_v3_binary_frames()
    {
        await using var server = await StartAsync(io => io.OnConnection(s => s.On("bin", e => s.Emit("bin-back", new byte[] { 9, 8 }, e.Args.Get<byte[]>()))));
        await using var client = await LegacyClient.ConnectAsync(server);
        (await client.ReceiveTextAsync()).Should().Be("40");

        await client.SendAsync("421[\"echo\",\"hi\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"hi\"]");

        await client.SendAsync("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([4, 1, 2, 3]);
        (await client.ReceiveTextAsync()).Should().Be("452-[\"bin-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(4, 9, 8);
        (await client.ReceiveBinaryAsync()).Should().Equal(4, 1, 2, 3);

        await client.SendAsync("451-7[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([4, 0xFF]);
        (await client.ReceiveTextAsync()).Should().Be("461-7[{\"_placeholder\":true,\"num\":0}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(4, 0xFF);
    }

    [Fact]
    public async Task A_middleware_refusal_reaches_a_2x_client_as_its_data_or_else_its_message()
    {
        await using var server = await StartAsync(io =>
        {
            io.Of("/plain").Use((_, _) => throw new ConnectionRefusedException("not you"));
            io.Of("/data").Use((_, _) => throw new ConnectionRefusedException("not you", new { code = 7 }));
        });
        await using var client = await LegacyClient.ConnectAsync(server);
        (await client.ReceiveTextAsync()).Should().Be("40");

        await client.SendAsync("40/plain,");
        (await client.ReceiveTextAsync()).Should().Be("44/plain,\"not you\"");
        await client.SendAsync("40/data,");
        (await client.ReceiveTextAsync()).Should().Be("44/data,{\"code\":7}");
    }

    [Fact]
    public async Task An_unknown_namespace_is_refused_with_the_same_object_as_for_newer_clients()
    {
        await using var server = await StartAsync();
        await using var client = await LegacyClient.ConnectAsync(server);
        (await client.ReceiveTextAsync()).Should().Be("40");

        await client.SendAsync("40/nowhere?a=b,");

        (await client.ReceiveTextAsync()).Should().Be("44/nowhere,{\"message\":\"Invalid namespace\"}");
    }

    [Fact]
    public async Task A_refusal_of_the_implicit_main_namespace_connect_is_sent_to_the_client()
    {
        await using var server = await StartAsync(io => io.Use((_, _) => throw new ConnectionRefusedException("closed today")));
        await using var client = await LegacyClient.ConnectAsync(server);

        (await client.ReceiveTextAsync()).Should().Be("44\"closed today\"");
    }

    [Fact]
    public async Task A_v4_client_of_the_same_server_still_connects_explicitly_and_gets_its_sid()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var sid = await client.JoinAsync();

        client.OpenPacket.Should().NotContain(sid);
        // Had the server joined it on its own, the explicit CONNECT would have been a second one, closing the connection.
        await client.SendAsync("421[\"echo\",1]");
        (await client.ReceiveTextAsync()).Should().Be("431[1]");
    }

    [Fact]
    public void AllowEIO3_is_the_engines_option()
    {
        var options = new SocketIoOptions();
        options.AllowEIO3.Should().BeFalse();
        options.AllowEIO3 = true;
        options.Engine.AllowEIO3.Should().BeTrue();
    }
}
