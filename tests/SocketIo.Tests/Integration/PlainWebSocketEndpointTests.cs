using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace SocketIo.Tests.Integration;

/// <summary>
/// <c>MapPlainWebSocket</c>: plain WebSocket clients speaking JSON envelopes are sockets of a namespace like any
/// other, on a real Kestrel.
/// </summary>
public sealed class PlainWebSocketEndpointTests
{
    private static Task<TestServer> StartAsync(Action<SocketIoServer> configure, Action<PlainWebSocketOptions>? options = null) =>
        TestServer.StartAsync(io =>
        {
            io.Of("/plain").OnConnection(socket =>
            {
                socket.On("echo", e => e.Ack?.Send(e.Args.Get<JsonElement>(0)));
                socket.On<string>("join", (room, ack) =>
                {
                    socket.Join(room!);
                    ack.Send();
                });
                socket.On<string>("shout", text => socket.To("lobby").Emit("shouted", new { text }));
            });
            configure(io);
        }, endpoints: app => app.MapPlainWebSocket("/plain", "/plain", options));

    [Fact]
    public async Task An_envelope_with_an_id_reaches_its_handler_and_the_answer_comes_back_with_that_id()
    {
        await using var server = await StartAsync(_ => { });
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        await client.SendAsync("""{"type":"echo","data":{"n":1},"id":"r1"}""");
        var answer = await client.ReceiveAsync();
        answer.GetProperty("type").GetString().Should().Be("echo");
        answer.GetProperty("id").GetString().Should().Be("r1");
        answer.GetProperty("data").GetProperty("n").GetInt32().Should().Be(1);
        answer.GetProperty("timestamp").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
    }

    [Fact]
    public async Task What_the_server_emits_arrives_as_an_envelope_with_its_first_argument()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.Of("/plain").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await PlainClient.ConnectAsync(server, "/plain?token=abc");
        var socket = await connected.Task.WaitAsync(TestServer.Timeout);
        socket.IsPlainWebSocket.Should().BeTrue();
        socket.TransportName.Should().Be("plain-websocket");
        socket.Handshake.Query["token"].ToString().Should().Be("abc");
        socket.Handshake.Auth.GetProperty("token").GetString().Should().Be("abc");

        socket.Emit("hello", new { name = "ada" }, "ignored second argument");
        var message = await client.ReceiveAsync();
        message.GetProperty("type").GetString().Should().Be("hello");
        message.GetProperty("data").GetProperty("name").GetString().Should().Be("ada");
        message.GetProperty("id").GetString().Should().NotBeNullOrEmpty();
        message.TryGetProperty("timestamp", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Room_broadcasts_reach_plain_and_socket_io_clients_alike()
    {
        await using var server = await StartAsync(_ => { });
        await using var alice = await PlainClient.ConnectAsync(server, "/plain");
        await using var bob = await PlainClient.ConnectAsync(server, "/plain");
        await using var carol = await RawClient.ConnectAsync(server);
        await carol.JoinAsync("/plain");
        await carol.SendAsync("42/plain,1[\"join\",\"lobby\"]");
        await alice.SendAsync("""{"type":"join","data":"lobby","id":1}""");
        (await alice.ReceiveAsync()).GetProperty("id").GetInt32().Should().Be(1, "the join was answered (an empty answer)");
        await bob.SendAsync("""{"type":"join","data":"lobby","id":2}""");
        await bob.ReceiveAsync();
        (await carol.ReceiveTextAsync()).Should().Be("43/plain,1[]");

        await alice.SendAsync("""{"type":"shout","data":"hi all"}""");
        var atBob = await bob.ReceiveAsync();
        atBob.GetProperty("type").GetString().Should().Be("shouted");
        atBob.GetProperty("data").GetProperty("text").GetString().Should().Be("hi all");
        (await carol.ReceiveTextAsync()).Should().Be("42/plain,[\"shouted\",{\"text\":\"hi all\"}]");

        // And from the Socket.IO client to the plain ones.
        await carol.SendAsync("42/plain,[\"shout\",\"from socket.io\"]");
        (await alice.ReceiveAsync()).GetProperty("data").GetProperty("text").GetString().Should().Be("from socket.io");
        (await bob.ReceiveAsync()).GetProperty("data").GetProperty("text").GetString().Should().Be("from socket.io");
    }

    [Fact]
    public async Task Ping_is_answered_and_bad_input_gets_an_error_envelope_without_closing()
    {
        await using var server = await StartAsync(_ => { });
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        await client.SendAsync("""{"type":"ping","id":"p"}""");
        var pong = await client.ReceiveAsync();
        pong.GetProperty("type").GetString().Should().Be("pong");
        pong.GetProperty("id").GetString().Should().Be("p");

        await client.SendAsync("{not json");
        var error = await client.ReceiveAsync();
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("data").GetProperty("code").GetString().Should().Be("invalid_json");

        await client.SendAsync("""{"data":1}""");
        (await client.ReceiveAsync()).GetProperty("data").GetProperty("code").GetString().Should().Be("invalid_message");

        await client.SendAsync("""{"type":"nobody-handles-this","id":"u"}""");
        var unknown = await client.ReceiveAsync();
        unknown.GetProperty("data").GetProperty("code").GetString().Should().Be("unknown_type");
        unknown.GetProperty("id").GetString().Should().Be("u");

        await client.SendAsync("""{"type":"echo","data":"still here","id":"e"}""");
        (await client.ReceiveAsync()).GetProperty("data").GetString().Should().Be("still here");
    }

    [Fact]
    public async Task A_middleware_refuses_with_the_close_code_it_chose_or_the_default()
    {
        await using var server = await StartAsync(io => io.Of("/plain").Use((socket, _) =>
        {
            var token = socket.Handshake.Query["token"].ToString();
            if (token == "expired")
            {
                socket.CloseConnection(4001, "token expired");
                throw new ConnectionRefusedException("token expired");
            }
            if (token != "good") throw new ConnectionRefusedException("no token");
            return ValueTask.CompletedTask;
        }));
        await using (var expired = await PlainClient.ConnectAsync(server, "/plain?token=expired"))
        {
            var (status, reason) = await expired.WaitClosedAsync();
            status.Should().Be((WebSocketCloseStatus)4001);
            reason.Should().Be("token expired");
        }
        await using (var none = await PlainClient.ConnectAsync(server, "/plain"))
        {
            var (status, reason) = await none.WaitClosedAsync();
            status.Should().Be(WebSocketCloseStatus.PolicyViolation);
            reason.Should().Be("no token");
        }
        await using var good = await PlainClient.ConnectAsync(server, "/plain?token=good");
        await good.SendAsync("""{"type":"echo","data":1,"id":1}""");
        (await good.ReceiveAsync()).GetProperty("data").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task The_application_closes_a_client_with_its_code_after_what_is_queued()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.Of("/plain").OnConnection(s =>
        {
            s.Disconnected += (_, r) => reason.TrySetResult(r);
            connected.TrySetResult(s);
        }));
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        var socket = await connected.Task.WaitAsync(TestServer.Timeout);
        socket.Emit("last", "words");
        socket.CloseConnection(4002, "too many messages");
        (await client.ReceiveAsync()).GetProperty("data").GetString().Should().Be("words");
        var (status, text) = await client.WaitClosedAsync();
        status.Should().Be((WebSocketCloseStatus)4002);
        text.Should().Be("too many messages");
        (await reason.Task.WaitAsync(TestServer.Timeout)).Should().Be(DisconnectReason.ServerNamespaceDisconnect);
        socket.Connected.Should().BeFalse();
    }

    [Fact]
    public async Task A_client_that_closes_is_a_transport_close_and_leaves_its_rooms()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.Of("/plain").OnConnection(s =>
        {
            s.Disconnected += (_, r) => reason.TrySetResult(r);
            connected.TrySetResult(s);
        }));
        var client = await PlainClient.ConnectAsync(server, "/plain");
        var socket = await connected.Task.WaitAsync(TestServer.Timeout);
        await client.DisposeAsync();
        (await reason.Task.WaitAsync(TestServer.Timeout)).Should().Be(DisconnectReason.TransportClose);
        server.Io.Of("/plain").Adapter.SocketRooms(socket.Id).Should().BeEmpty();
    }

    [Fact]
    public async Task The_server_asks_a_plain_client_and_gets_its_answer()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.Of("/plain").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        var socket = await connected.Task.WaitAsync(TestServer.Timeout);
        var asking = socket.Timeout(TestServer.Timeout).EmitWithAckAsync<string>("question", "who?");
        var question = await client.ReceiveAsync();
        question.GetProperty("type").GetString().Should().Be("question");
        var id = question.GetProperty("id").GetString();
        await client.SendAsync($$"""{"type":"question","id":"{{id}}","data":"me"}""");
        (await asking.WaitAsync(TestServer.Timeout)).Should().Be("me");
    }

    [Fact]
    public async Task Envelope_field_names_follow_the_endpoint_options()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(
            io => io.Of("/plain").OnConnection(s => connected.TrySetResult(s)),
            o =>
            {
                o.TypeField = "event";
                o.DataField = "payload";
                o.IdField = "messageId";
                o.TimestampField = null;
                o.WriteExtraFields = (socket, writer) => writer.WriteString("sessionId", socket.Id);
            });
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        var socket = await connected.Task.WaitAsync(TestServer.Timeout);
        await client.SendAsync("""{"event":"echo","payload":[1,2],"messageId":"x"}""");
        var answer = await client.ReceiveAsync();
        answer.GetProperty("event").GetString().Should().Be("echo");
        answer.GetProperty("messageId").GetString().Should().Be("x");
        answer.GetProperty("payload").GetArrayLength().Should().Be(2);
        answer.GetProperty("sessionId").GetString().Should().Be(socket.Id);
        answer.TryGetProperty("timestamp", out _).Should().BeFalse();
    }

    [Fact]
    public async Task An_envelope_without_a_data_field_is_its_own_argument_and_ids_can_be_turned_off()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.Of("/plain").OnConnection(s =>
        {
            s.On<JsonElement>("auth", token => s.Emit("seen", token.GetProperty("token").GetString()));
            connected.TrySetResult(s);
        }), o => o.IdField = null);
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        await connected.Task.WaitAsync(TestServer.Timeout);
        await client.SendAsync("""{"type":"auth","token":"abc","id":"ignored"}""");
        var seen = await client.ReceiveAsync();
        seen.GetProperty("type").GetString().Should().Be("seen");
        seen.GetProperty("data").GetString().Should().Be("abc");
        seen.TryGetProperty("id", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Clients_are_closed_with_1001_when_the_application_stops()
    {
        var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(io => io.Of("/plain").OnConnection(s => s.Disconnected += (_, r) => reason.TrySetResult(r)));
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        await client.SendAsync("""{"type":"echo","data":1,"id":1}""");
        await client.ReceiveAsync();
        var closed = client.WaitClosedAsync();
        var stopping = server.DisposeAsync().AsTask();
        var (status, _) = await closed;
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        (await reason.Task.WaitAsync(TestServer.Timeout)).Should().Be(DisconnectReason.ServerShuttingDown);
        await stopping.WaitAsync(TestServer.Timeout);
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_with_1009()
    {
        await using var server = await StartAsync(_ => { }, o => o.MaxMessageSize = 1000);
        await using var client = await PlainClient.ConnectAsync(server, "/plain");
        await client.SendAsync("{\"type\":\"echo\",\"data\":\"" + new string('x', 2000) + "\"}");
        var (status, _) = await client.WaitClosedAsync();
        status.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }

    [Fact]
    public async Task A_plain_request_that_is_not_a_websocket_gets_400()
    {
        await using var server = await StartAsync(_ => { });
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(server.BaseUri, "/plain")).WaitAsync(TestServer.Timeout);
        ((int)response.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task A_plain_client_that_stops_reading_is_cut_at_the_cap()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reason = new TaskCompletionSource<DisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(
            io => io.Of("/plain").OnConnection(s =>
            {
                s.Disconnected += (_, r) => reason.TrySetResult(r);
                connected.TrySetResult(s);
            }),
            options: o => o.MaxQueuedBytes = 1 << 20,
            endpoints: app => app.MapPlainWebSocket("/plain", "/plain"));
        // Connected, and never reads again.
        await using var stalled = await PlainClient.ConnectAsync(server, "/plain");
        var socket = await connected.Task.WaitAsync(TestServer.Timeout);

        // 40 MB in 10 KB messages: far more than the cap (1 MB) and what the kernel and Kestrel buffer on the way.
        var payload = new string('x', 10_000);
        for (var round = 0; round < 200 && !reason.Task.IsCompleted; round++)
        {
            for (var i = 0; i < 20; i++) socket.Emit("m", payload);
            await Task.Delay(2);
        }

        (await reason.Task.WaitAsync(TestServer.Timeout)).Should().Be(DisconnectReason.SlowConsumer);
    }

    /// <summary>A plain WebSocket client: JSON text messages in and out.</summary>
    private sealed class PlainClient : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();

        public static async Task<PlainClient> ConnectAsync(TestServer server, string pathAndQuery)
        {
            var client = new PlainClient();
            var uri = new UriBuilder(server.BaseUri) { Scheme = "ws" };
            var question = pathAndQuery.IndexOf('?');
            uri.Path = question < 0 ? pathAndQuery : pathAndQuery[..question];
            uri.Query = question < 0 ? "" : pathAndQuery[(question + 1)..];
            await client._socket.ConnectAsync(uri.Uri, CancellationToken.None).WaitAsync(TestServer.Timeout);
            return client;
        }

        public Task SendAsync(string json) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestServer.Timeout);

        public async Task<JsonElement> ReceiveAsync()
        {
            var (type, text) = await ReceiveFrameAsync();
            type.Should().Be(WebSocketMessageType.Text, "a message was expected, not a close ({0})", _socket.CloseStatus);
            return JsonDocument.Parse(text).RootElement;
        }

        public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitClosedAsync()
        {
            while (true)
            {
                var (type, _) = await ReceiveFrameAsync();
                if (type == WebSocketMessageType.Close) return (_socket.CloseStatus, _socket.CloseStatusDescription);
            }
        }

        private async Task<(WebSocketMessageType, string)> ReceiveFrameAsync()
        {
            using var timeout = new CancellationTokenSource(TestServer.Timeout);
            var buffer = new byte[64 * 1024];
            var length = 0;
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
                if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
                    return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, length));
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TestServer.Timeout);
                try
                {
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // Already gone.
                }
            }
            _socket.Dispose();
        }
    }
}
