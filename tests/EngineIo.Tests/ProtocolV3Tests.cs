using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using EngineIo.Tests.Infrastructure;

namespace EngineIo.Tests;

/// <summary>Sessions of protocol v3 (Engine.IO 3 clients) with <see cref="EngineIoOptions.AllowEIO3"/>, over real HTTP and WebSocket.</summary>
public sealed class ProtocolV3Tests
{
    private static Task<EngineTestHost> StartAsync(Action<EngineIoOptions>? configure = null, TimeProvider? timeProvider = null) =>
        EngineTestHost.StartAsync(o =>
        {
            o.AllowEIO3 = true;
            configure?.Invoke(o);
        }, timeProvider);

    /// <summary>A raw v3 polling session: the handshake done, its open packet checked.</summary>
    private sealed class V3Polling(EngineTestHost host, string sid, string query)
    {
        public string Sid => sid;

        public string Path => host.Path($"EIO=3&transport=polling&sid={sid}{query}");

        public SessionLog Log => host.Handler.For(sid);

        public static async Task<V3Polling> OpenAsync(EngineTestHost host, string query = "")
        {
            using var response = await host.Http.GetAsync(host.Path("EIO=3&transport=polling" + query)).WaitAsync(Limits.Await);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
            var colon = body.IndexOf(':');
            var open = body.Substring(colon + 1, int.Parse(body[..colon]));
            var json = Wire.OpenPacketJson(open);
            return new V3Polling(host, json.GetProperty("sid").GetString()!, query);
        }

        public async Task<HttpResponseMessage> GetResponseAsync() => await host.Http.GetAsync(Path).WaitAsync(Limits.Await);

        public async Task<string> GetAsync()
        {
            using var response = await GetResponseAsync();
            return await PollingClient.ReadPayloadAsync(response);
        }

        public Task<HttpResponseMessage> PostAsync(string payload) => PostAsync(new StringContent(payload, Encoding.UTF8, "text/plain"));

        public Task<HttpResponseMessage> PostAsync(byte[] binaryPayload)
        {
            var content = new ByteArrayContent(binaryPayload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return PostAsync(content);
        }

        private Task<HttpResponseMessage> PostAsync(HttpContent content) => host.Http.PostAsync(Path, content).WaitAsync(Limits.Await);
    }

    private static async Task ShouldBeOkAsync(Task<HttpResponseMessage> post)
    {
        using var response = await post;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("ok");
    }

    private static Uri WebSocketUri(EngineTestHost host, string query) => new($"ws://{host.BaseAddress.Authority}{host.Path("EIO=3&transport=websocket" + query)}");

    private static async Task<(ClientWebSocket Socket, string Sid)> OpenWebSocketAsync(EngineTestHost host, string query = "")
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri(host, query), CancellationToken.None).WaitAsync(Limits.Await);
        var json = Wire.OpenPacketJson(await socket.ReceiveTextAsync());
        return (socket, json.GetProperty("sid").GetString()!);
    }

    // ---- Handshake ----

    [Fact]
    public async Task The_polling_handshake_is_one_length_prefixed_open_packet_without_maxPayload()
    {
        await using var host = await StartAsync(o => o.PingInterval = TimeSpan.FromSeconds(7));
        using var response = await host.Http.GetAsync(host.Path("EIO=3&transport=polling")).WaitAsync(Limits.Await);

        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; charset=UTF-8");
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
        var colon = body.IndexOf(':');
        int.Parse(body[..colon]).Should().Be(body.Length - colon - 1, "the one record fills the payload");
        var json = Wire.OpenPacketJson(body[(colon + 1)..]);
        json.EnumerateObject().Select(p => p.Name).Should().Equal("sid", "upgrades", "pingInterval", "pingTimeout");
        json.GetProperty("pingInterval").GetInt32().Should().Be(7000);
        json.GetProperty("upgrades")[0].GetString().Should().Be("websocket");
        (await host.Handler.NextOpenedAsync()).ProtocolVersion.Should().Be(3);
    }

    [Fact]
    public async Task The_websocket_handshake_is_a_bare_open_packet_without_maxPayload()
    {
        await using var host = await StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri(host, ""), CancellationToken.None).WaitAsync(Limits.Await);

        var json = Wire.OpenPacketJson(await socket.ReceiveTextAsync());
        json.TryGetProperty("maxPayload", out _).Should().BeFalse();
        json.GetProperty("upgrades").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_v4_client_of_the_same_server_still_gets_maxPayload()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        Wire.OpenPacketJson(client.HandshakeBody).GetProperty("maxPayload").GetInt64().Should().Be(EngineIoOptions.DefaultMaxHttpBufferSize);
    }

    // ---- Polling payloads ----

    [Fact]
    public async Task A_text_payload_is_delivered_and_the_echo_comes_back_length_prefixed()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host);

        await ShouldBeOkAsync(client.PostAsync("6:4hello3:4😀"));

        (await client.Log.NextMessageAsync()).Text.Should().Be("hello");
        (await client.Log.NextMessageAsync()).Text.Should().Be("😀");
        (await client.GetAsync()).Should().Be("6:4hello3:4😀");
    }

    [Fact]
    public async Task A_client_that_asked_for_base64_gets_binary_as_b4_records_in_a_text_payload()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host, "&b64=1");

        await ShouldBeOkAsync(client.PostAsync("6:b4AQID"));

        var message = await client.Log.NextMessageAsync();
        message.IsBinary.Should().BeTrue();
        message.Data.Should().Equal(1, 2, 3);
        using var response = await client.GetResponseAsync();
        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; charset=UTF-8");
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("6:b4AQID");
    }

    [Fact]
    public async Task A_binary_payload_is_delivered_and_binary_goes_back_in_a_binary_payload()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host);

        await ShouldBeOkAsync(client.PostAsync([0, 3, 255, (byte)'4', (byte)'h', (byte)'i', 1, 3, 255, 4, 0xCA, 0xFE]));

        (await client.Log.NextMessageAsync()).Text.Should().Be("hi");
        (await client.Log.NextMessageAsync()).Data.Should().Equal(0xCA, 0xFE);
        using var response = await client.GetResponseAsync();
        response.Content.Headers.ContentType!.ToString().Should().Be("application/octet-stream");
        (await response.Content.ReadAsByteArrayAsync().WaitAsync(Limits.Await)).Should().Equal(0, 3, 255, (byte)'4', (byte)'h', (byte)'i', 1, 3, 255, 4, 0xCA, 0xFE);
    }

    [Theory]
    [InlineData("2:4😀")]
    [InlineData("5:4😀")]
    [InlineData("4hello")]
    [InlineData("3:4ab7")]
    [InlineData("")]
    public async Task A_malformed_text_payload_gets_400_and_closes_the_session_with_ParseError(string payload)
    {
        await using var host = await StartAsync();
        var bystander = await V3Polling.OpenAsync(host);
        var client = await V3Polling.OpenAsync(host);

        using (var response = await client.PostAsync(payload)) response.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ParseError);
        client.Log.Messages.Should().BeEmpty();
        await ShouldBeOkAsync(bystander.PostAsync("2:4x"));
        (await bystander.GetAsync()).Should().Be("2:4x");
    }

    [Fact]
    public async Task A_malformed_binary_payload_gets_400_and_closes_the_session_with_ParseError()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host);

        using (var response = await client.PostAsync([0, 9, 255, (byte)'4'])) response.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ParseError);
    }

    [Fact]
    public async Task A_poll_racing_the_clients_own_close_is_answered_with_a_v3_noop()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host);

        await ShouldBeOkAsync(client.PostAsync("1:1"));
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.TransportClose);

        (await client.GetAsync()).Should().Be("1:6");
    }

    // ---- Heartbeat ----

    [Fact]
    public async Task The_server_answers_the_clients_pings_with_pongs_carrying_the_same_data()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host);

        await ShouldBeOkAsync(client.PostAsync("1:2"));
        (await client.GetAsync()).Should().Be("1:3");
        await ShouldBeOkAsync(client.PostAsync("4:2abc"));
        (await client.GetAsync()).Should().Be("4:3abc");
    }

    [Fact]
    public async Task The_server_never_pings_and_times_out_a_silent_client_after_ping_interval_plus_ping_timeout()
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromSeconds(25);
            o.PingTimeout = TimeSpan.FromSeconds(20);
        }, clock);
        var client = await V3Polling.OpenAsync(host);
        var session = await host.Handler.NextOpenedAsync();

        // Under v4 a ping would be due now; under v3 the server only waits for the client's.
        clock.Advance(TimeSpan.FromSeconds(26));
        session.Send(EngineMessage.Text("no ping before me"));
        (await client.GetAsync()).Should().Be("18:4no ping before me");

        clock.Advance(TimeSpan.FromSeconds(18));
        client.Log.IsClosed.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.PingTimeout);
    }

    [Fact]
    public async Task Each_ping_gives_the_client_another_ping_interval_plus_ping_timeout()
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromSeconds(25);
            o.PingTimeout = TimeSpan.FromSeconds(20);
        }, clock);
        var client = await V3Polling.OpenAsync(host);

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(40));
            await ShouldBeOkAsync(client.PostAsync("1:2"));
            (await client.GetAsync()).Should().Be("1:3");
        }
        client.Log.IsClosed.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(45));
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.PingTimeout);
    }

    [Fact]
    public async Task A_pong_from_a_v3_client_is_the_wrong_heartbeat_direction_and_closes_the_session()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host);

        await ShouldBeOkAsync(client.PostAsync("1:3"));

        (await client.Log.ClosedWithDescriptionAsync()).Should().Be((EngineCloseReason.TransportError, "invalid heartbeat direction"));
    }

    // ---- WebSocket ----

    [Fact]
    public async Task Websocket_binary_frames_carry_a_leading_message_type_byte_both_ways()
    {
        await using var host = await StartAsync();
        var (socket, sid) = await OpenWebSocketAsync(host);
        using var _ = socket;

        await socket.SendBinaryAsync([4, 0xCA, 0xFE]);

        (await host.Handler.For(sid).NextMessageAsync()).Data.Should().Equal(0xCA, 0xFE);
        var echo = await socket.ReceiveFrameAsync();
        echo.Type.Should().Be(WebSocketMessageType.Binary);
        echo.Data.Should().Equal(4, 0xCA, 0xFE);
    }

    [Fact]
    public async Task A_websocket_client_that_asked_for_base64_gets_binary_as_b4_text_frames()
    {
        await using var host = await StartAsync();
        var (socket, sid) = await OpenWebSocketAsync(host, "&b64=1");
        using var _ = socket;

        await socket.SendTextAsync("b4AQID");

        (await host.Handler.For(sid).NextMessageAsync()).Data.Should().Equal(1, 2, 3);
        (await socket.ReceiveTextAsync()).Should().Be("b4AQID");
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x34, 1, 2 })]
    [InlineData(new byte[] { 2, 1 })]
    public async Task A_websocket_binary_frame_that_is_no_v3_message_closes_the_session_with_ParseError(byte[] frame)
    {
        await using var host = await StartAsync();
        var (socket, sid) = await OpenWebSocketAsync(host);
        using var _ = socket;

        await socket.SendBinaryAsync(frame);

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        (await host.Handler.For(sid).ClosedAsync()).Should().Be(EngineCloseReason.ParseError);
        host.Handler.For(sid).Messages.Should().BeEmpty();
    }

    [Fact]
    public async Task A_polling_session_upgrades_and_then_speaks_v3_websocket_frames()
    {
        await using var host = await StartAsync();
        var client = await V3Polling.OpenAsync(host, "&b64=1");
        var session = await host.Handler.NextOpenedAsync();

        using var socket = new ClientWebSocket();
        // The WebSocket of the upgrade does not ask for base64: it gets binary frames, whatever polling used.
        await socket.ConnectAsync(WebSocketUri(host, $"&sid={client.Sid}"), CancellationToken.None).WaitAsync(Limits.Await);
        await socket.SendTextAsync("2probe");
        (await socket.ReceiveTextAsync()).Should().Be("3probe");
        await socket.SendTextAsync("5");
        await Limits.EventuallyAsync(() => session.TransportName == "websocket", "the upgrade completed");

        session.Send(EngineMessage.Binary(new byte[] { 7 }));
        (await socket.ReceiveFrameAsync()).Data.Should().Equal(4, 7);
        await socket.SendTextAsync("2");
        (await socket.ReceiveTextAsync()).Should().Be("3");
    }
}
