using System.Net;
using System.Net.WebSockets;
using EngineIo.Tests.Infrastructure;

namespace EngineIo.Tests;

public sealed class EngineIoServerTests
{
    // ---- Handshake ----

    [Fact]
    public async Task A_polling_handshake_answers_200_with_an_open_packet()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
        body.Should().StartWith("0{").And.NotContain("\x1e");
        var json = Wire.OpenPacketJson(body);
        json.EnumerateObject().Select(p => p.Name).Should().Equal("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        json.GetProperty("sid").GetString().Should().HaveLength(20);
        json.GetProperty("upgrades").EnumerateArray().Select(e => e.GetString()).Should().Equal("websocket");
        json.GetProperty("pingInterval").GetInt32().Should().Be(25000);
        json.GetProperty("pingTimeout").GetInt32().Should().Be(20000);
        json.GetProperty("maxPayload").GetInt32().Should().Be(1_000_000);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task The_handshake_opens_a_session_the_handler_and_the_server_both_know()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        var session = await host.Handler.NextOpenedAsync();

        session.Id.Should().Be(client.Sid);
        session.ProtocolVersion.Should().Be(4);
        session.TransportName.Should().Be("polling");
        session.IsOpen.Should().BeTrue();
        session.Request.Query["transport"].ToString().Should().Be("polling");
        host.Server.ClientsCount.Should().Be(1);
        host.Server.TryGetSession(client.Sid, out var found).Should().BeTrue();
        found.Should().BeSameAs(session);
    }

    [Fact]
    public async Task A_websocket_handshake_announces_no_upgrades()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.PingInterval = TimeSpan.FromSeconds(3));
        var (socket, sid, open) = await host.OpenWebSocketAsync();
        using var _ = socket;

        var json = Wire.OpenPacketJson(open);
        json.GetProperty("sid").GetString().Should().Be(sid);
        json.GetProperty("upgrades").GetArrayLength().Should().Be(0);
        json.GetProperty("pingInterval").GetInt32().Should().Be(3000);
        (await host.Handler.NextOpenedAsync()).TransportName.Should().Be("websocket");
    }

    [Fact]
    public async Task Without_upgrades_a_polling_handshake_announces_none()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowUpgrades = false);
        var client = await host.OpenPollingAsync();
        Wire.OpenPacketJson(client.HandshakeBody).GetProperty("upgrades").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task The_engine_answers_with_or_without_a_trailing_slash_on_its_own_path()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Path = "/socket.io");
        using var withSlash = await host.Http.GetAsync("/socket.io/?EIO=4&transport=polling").WaitAsync(Limits.Await);
        using var withoutSlash = await host.Http.GetAsync("/socket.io?EIO=4&transport=polling").WaitAsync(Limits.Await);
        using var elsewhere = await host.Http.GetAsync("/engine.io/?EIO=4&transport=polling").WaitAsync(Limits.Await);

        withSlash.StatusCode.Should().Be(HttpStatusCode.OK);
        withoutSlash.StatusCode.Should().Be(HttpStatusCode.OK);
        elsewhere.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_initial_packet_follows_the_open_packet_in_the_handshake_payload()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.InitialPacket = EngineMessage.Text("welcome"));
        var client = await host.OpenPollingAsync();
        var records = client.HandshakeBody.Split('\x1e');
        records.Should().HaveCount(2);
        records[1].Should().Be("4welcome");
    }

    [Fact]
    public async Task The_initial_packet_is_the_second_frame_of_a_websocket_handshake()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.InitialPacket = EngineMessage.Binary(new byte[] { 7, 8 }));
        var (socket, _, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var frame = await socket.ReceiveFrameAsync();
        frame.Type.Should().Be(WebSocketMessageType.Binary);
        frame.Data.Should().Equal(7, 8);
    }

    [Fact]
    public async Task A_handler_that_throws_on_open_gets_its_session_closed()
    {
        var throwing = new ThrowingOnOpenHandler();
        var server = new EngineIoServer(new EngineIoOptions(), throwing);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?EIO=4&transport=polling");
        context.Response.Body = new MemoryStream();

        await server.HandleRequestAsync(context).WaitAsync(Limits.Await);

        throwing.ClosedReason.Should().Be(EngineCloseReason.TransportError);
        server.ClientsCount.Should().Be(0);
        // The session closed before its first poll was taken: the handshake request gets an error, never a sid.
        context.Response.StatusCode.Should().Be(400);
        context.Response.Body.Position = 0;
        new StreamReader(context.Response.Body).ReadToEnd().Should().NotStartWith("0");
    }

    private sealed class ThrowingOnOpenHandler : IEngineIoHandler
    {
        public EngineCloseReason? ClosedReason { get; private set; }

        public void OnOpened(EngineSession session) => throw new InvalidOperationException("boom");

        public ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8) => ValueTask.CompletedTask;

        public ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data) => ValueTask.CompletedTask;

        public void OnClosed(EngineSession session, EngineCloseReason reason, string? description) => ClosedReason = reason;
    }

    // ---- Refused requests: each gets the reference's answer and leaves another session alone ----

    private static async Task AssertRefusedAsync(string query, HttpMethod method, HttpStatusCode status, int code, string message)
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();

        using var request = new HttpRequestMessage(method, host.Path(query));
        if (method != HttpMethod.Get) request.Content = new StringContent("4hello");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        await response.ShouldBeErrorAsync(status, code, message);
        host.Handler.OpenedCount.Should().Be(1, "the refused request opened no session");
        await bystander.AssertStillEchoesAsync();
    }

    [Theory]
    [InlineData("transport=polling")]
    [InlineData("EIO=abc&transport=polling")]
    [InlineData("EIO=3&transport=polling")]
    [InlineData("EIO=5&transport=polling")]
    public Task A_missing_invalid_or_v3_protocol_is_refused_with_code_5(string query) =>
        AssertRefusedAsync(query, HttpMethod.Get, HttpStatusCode.BadRequest, 5, "Unsupported protocol version");

    [Theory]
    [InlineData("EIO=4")]
    [InlineData("EIO=4&transport=abc")]
    [InlineData("EIO=4&transport=__proto__")]
    [InlineData("EIO=4&transport=constructor")]
    [InlineData("EIO=4&transport=POLLING")]
    public Task A_missing_or_unknown_transport_is_refused_with_code_0(string query) =>
        AssertRefusedAsync(query, HttpMethod.Get, HttpStatusCode.BadRequest, 0, "Transport unknown");

    [Fact]
    public Task An_unknown_sid_is_refused_with_code_1() =>
        AssertRefusedAsync("EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA", HttpMethod.Get, HttpStatusCode.BadRequest, 1, "Session ID unknown");

    [Fact]
    public Task A_post_to_an_unknown_sid_is_refused_with_code_1() =>
        AssertRefusedAsync("EIO=4&transport=polling&sid=__proto__", HttpMethod.Post, HttpStatusCode.BadRequest, 1, "Session ID unknown");

    [Fact]
    public Task A_post_handshake_is_refused_with_code_2() =>
        AssertRefusedAsync("EIO=4&transport=polling", HttpMethod.Post, HttpStatusCode.BadRequest, 2, "Bad handshake method");

    [Fact]
    public Task A_put_handshake_is_refused_with_code_2() =>
        AssertRefusedAsync("EIO=4&transport=polling", HttpMethod.Put, HttpStatusCode.BadRequest, 2, "Bad handshake method");

    [Fact]
    public Task A_websocket_handshake_without_an_upgrade_is_refused_with_code_3() =>
        AssertRefusedAsync("EIO=4&transport=websocket", HttpMethod.Get, HttpStatusCode.BadRequest, 3, "Bad request");

    [Fact]
    public async Task A_transport_the_server_does_not_offer_is_refused_with_code_0()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Transports = EngineIoTransports.WebSocket);
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 0, "Transport unknown");
    }

    [Fact]
    public async Task Protocol_3_is_accepted_when_allowed()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowEIO3 = true);
        using var response = await host.Http.GetAsync(host.Path("EIO=3&transport=polling")).WaitAsync(Limits.Await);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await host.Handler.NextOpenedAsync()).ProtocolVersion.Should().Be(3);
    }

    [Fact]
    public async Task The_sid_of_a_closed_session_is_unknown()
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        client.Session.Close();
        (await client.GetAsync()).Should().Be("1");
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ForcedClose);

        using var get = await host.Http.GetAsync(client.Path).WaitAsync(Limits.Await);
        await get.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 1, "Session ID unknown");
        using var post = await client.PostRawAsync(new StringContent("4late"));
        await post.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 1, "Session ID unknown");

        client.Log.CloseCount.Should().Be(1);
        client.Log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_polling_request_for_a_websocket_session_is_refused_with_code_3()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        using var response = await host.Http.GetAsync(host.PollingPath(sid)).WaitAsync(Limits.Await);
        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");

        host.Handler.For(sid).IsClosed.Should().BeFalse();
        await socket.SendTextAsync("4still here");
        (await socket.ReceiveTextAsync()).Should().Be("4still here");
    }

    [Fact]
    public async Task An_origin_with_control_characters_is_refused_with_code_3()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.TryAddWithoutValidation("Origin", "https://a.example\u0001");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);
        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");
    }

    // ---- AllowRequest ----

    [Fact]
    public async Task A_handshake_denied_by_AllowRequest_gets_403_with_code_4_and_the_message()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowRequest = _ => ValueTask.FromResult(AllowRequestResult.Deny("no entry")));
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, 4, "no entry");
        host.Handler.OpenedCount.Should().Be(0);
    }

    [Fact]
    public async Task A_denial_without_a_message_says_Forbidden()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowRequest = _ => ValueTask.FromResult(AllowRequestResult.Deny()));
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        await response.ShouldBeErrorAsync(HttpStatusCode.Forbidden, 4, "Forbidden");
    }

    [Fact]
    public async Task A_websocket_handshake_denied_by_AllowRequest_is_not_upgraded()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowRequest = _ => ValueTask.FromResult(AllowRequestResult.Deny()));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await FluentActions.Awaiting(() => socket.ConnectAsync(host.WebSocketUri(), CancellationToken.None).WaitAsync(Limits.Await))
            .Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AllowRequest_sees_the_handshake_request_and_only_it()
    {
        var seen = new List<string>();
        await using var host = await EngineTestHost.StartAsync(o => o.AllowRequest = context =>
        {
            lock (seen) seen.Add(context.Request.Headers["X-Token"].ToString());
            return ValueTask.FromResult(context.Request.Headers["X-Token"] == "secret" ? AllowRequestResult.Allow : AllowRequestResult.Deny());
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.Add("X-Token", "secret");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var session = await host.Handler.NextOpenedAsync();

        await new PollingClientProbe(host, session.Id).PostAndGetAsync("4x");
        lock (seen) seen.Should().Equal("secret");
    }

    private sealed class PollingClientProbe(EngineTestHost host, string sid)
    {
        public async Task PostAndGetAsync(string payload)
        {
            using var post = await host.Http.PostAsync(host.PollingPath(sid), new StringContent(payload)).WaitAsync(Limits.Await);
            post.StatusCode.Should().Be(HttpStatusCode.OK);
            using var get = await host.Http.GetAsync(host.PollingPath(sid)).WaitAsync(Limits.Await);
            (await PollingClient.ReadPayloadAsync(get)).Should().Be(payload);
        }
    }

    // ---- CORS ----

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_gets_204_with_the_cors_headers()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors = new EngineIoCorsOptions { AllowedOrigins = { "https://shop.example" } });
        using var request = new HttpRequestMessage(HttpMethod.Options, host.PollingPath());
        request.Headers.Add("Origin", "https://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("https://shop.example");
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Contain("POST");
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().Should().ContainEquivalentOf("content-type");
        host.Handler.OpenedCount.Should().Be(0);
    }

    [Fact]
    public async Task A_request_from_an_origin_not_allowed_gets_no_cors_headers()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors = new EngineIoCorsOptions { AllowedOrigins = { "https://shop.example" } });
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "CORS is enforced by the browser, not by refusing the request");
        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task Any_origin_without_credentials_gets_a_star()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors = new EngineIoCorsOptions { AllowedOrigins = { "*" } });
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.Add("Origin", "https://anywhere.example");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("*");
        response.Headers.Contains("Access-Control-Allow-Credentials").Should().BeFalse();
    }

    [Fact]
    public async Task With_credentials_the_request_origin_is_echoed_instead_of_a_star()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cors = new EngineIoCorsOptions { AllowedOrigins = { "*" }, AllowCredentials = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.Add("Origin", "https://anywhere.example");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("https://anywhere.example");
        response.Headers.GetValues("Access-Control-Allow-Credentials").Should().Equal("true");
    }

    [Fact]
    public async Task Without_cors_options_no_cors_header_is_sent()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.Add("Origin", "https://anywhere.example");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);
        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    // ---- Cookie ----

    [Fact]
    public async Task The_cookie_option_sets_io_to_the_sid_on_the_root_path_httponly_and_lax()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cookie = new EngineIoCookieOptions());
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        var sid = Wire.OpenPacketJson(await PollingClient.ReadPayloadAsync(response)).GetProperty("sid").GetString();

        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
        parts[0].Should().Be("io=" + sid);
        parts.Skip(1).Should().BeEquivalentTo("path=/", "httponly", "samesite=lax");
    }

    [Fact]
    public async Task Without_the_cookie_option_no_cookie_is_set()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        response.Headers.Contains("Set-Cookie").Should().BeFalse();
    }

    [Fact]
    public async Task The_cookie_is_also_set_on_a_websocket_handshake()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Cookie = new EngineIoCookieOptions { Name = "sticky" });
        using var socket = await host.ConnectWebSocketAsync(null, o => o.CollectHttpResponseDetails = true);
        var sid = Wire.OpenPacketJson(await socket.ReceiveTextAsync()).GetProperty("sid").GetString();
        socket.HttpResponseHeaders!["Set-Cookie"].Single().Should().StartWith($"sticky={sid};");
    }

    // ---- Shutdown ----

    [Fact]
    public async Task Shutdown_closes_every_session_with_ServerShutdown()
    {
        await using var host = await EngineTestHost.StartAsync();
        var polling = await host.OpenPollingAsync();
        var (socket, wsSid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var pendingGet = polling.StartGetAsync();
        await Limits.EventuallyAsync(() => polling.Session.IsWritable, "the GET is waiting");

        host.Server.Shutdown();

        using (var get = await pendingGet.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(get)).Should().Be("1");
        var close = await socket.ReceiveCloseAsync();
        close.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        (await polling.Log.ClosedAsync()).Should().Be(EngineCloseReason.ServerShutdown);
        (await host.Handler.For(wsSid).ClosedAsync()).Should().Be(EngineCloseReason.ServerShutdown);
        host.Server.ClientsCount.Should().Be(0);
        polling.Log.CloseCount.Should().Be(1);
        host.Handler.For(wsSid).CloseCount.Should().Be(1);
    }

    [Fact]
    public async Task After_shutdown_new_handshakes_get_503()
    {
        await using var host = await EngineTestHost.StartAsync();
        host.Server.Shutdown();
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        host.Handler.OpenedCount.Should().Be(0);
    }

    [Fact]
    public async Task A_handshake_let_in_before_shutdown_but_opened_after_it_does_not_outlive_it()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineTestHost.StartAsync(o => o.AllowRequest = async _ =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(Limits.Await);
            return AllowRequestResult.Allow;
        });
        var handshake = host.Http.GetAsync(host.PollingPath());
        await entered.Task.WaitAsync(Limits.Await);

        host.Server.Shutdown();
        release.SetResult();

        using var response = await handshake.WaitAsync(Limits.Await);
        response.StatusCode.Should().NotBe(HttpStatusCode.OK, "a server that shut down opens no session");
        host.Server.ClientsCount.Should().Be(0);
        foreach (var log in host.Handler.Logs)
        {
            (await log.ClosedAsync()).Should().Be(EngineCloseReason.ServerShutdown);
            log.CloseCount.Should().Be(1);
        }
    }

    [Fact]
    public async Task Stopping_the_application_shuts_the_server_down()
    {
        var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        await host.DisposeAsync();
        (await client.Log.ClosedAsync()).Should().Be(EngineCloseReason.ServerShutdown);
    }

    [Fact]
    public async Task Sessions_lists_the_open_sessions()
    {
        await using var host = await EngineTestHost.StartAsync();
        var a = await host.OpenPollingAsync();
        var b = await host.OpenPollingAsync();
        host.Server.Sessions.Select(s => s.Id).Should().BeEquivalentTo(a.Sid, b.Sid);
        a.Session.Close();
        (await a.GetAsync()).Should().Be("1");
        await a.Log.ClosedAsync();
        host.Server.Sessions.Select(s => s.Id).Should().Equal(b.Sid);
    }

    [Fact]
    public async Task Request_info_is_a_snapshot_of_the_handshake()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath() + "&token=abc");
        request.Headers.Add("X-Custom", "value");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var info = (await host.Handler.NextOpenedAsync()).Request;

        info.Query["token"].ToString().Should().Be("abc");
        info.Headers["X-Custom"].ToString().Should().Be("value");
        info.Url.Should().Be("/engine.io/?EIO=4&transport=polling&token=abc");
        info.RemoteIpAddress.Should().Be(IPAddress.Loopback);
        info.IsHttps.Should().BeFalse();
        info.Host.Should().Be(host.BaseAddress.Authority);
    }
}
