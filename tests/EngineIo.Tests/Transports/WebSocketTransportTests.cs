using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EngineIo.Internal.Transports;
using EngineIo.Tests.Infrastructure;

namespace EngineIo.Tests.Transports;

public sealed class WebSocketTransportTests
{
    private static async Task AssertClosedOnceAsync(SessionLog log, EngineCloseReason reason)
    {
        (await log.ClosedAsync()).Should().Be(reason);
        log.CloseCount.Should().Be(1);
        log.Session!.IsOpen.Should().BeFalse();
    }

    // ---- permessage-deflate ----

    [Fact]
    public async Task Per_message_deflate_is_negotiated_when_enabled_and_offered()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.PerMessageDeflate = new PerMessageDeflateOptions());
        var (socket, sid, open) = await host.OpenWebSocketAsync(o =>
        {
            o.CollectHttpResponseDetails = true;
            o.DangerousDeflateOptions = new WebSocketDeflateOptions();
        });
        using var _ = socket;

        socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single().Should().StartWith("permessage-deflate");
        open.Should().StartWith("0{");
        var text = new string('z', 5000);
        await socket.SendTextAsync("4" + text);
        (await host.Handler.For(sid).NextMessageAsync()).Text.Should().Be(text);
        (await socket.ReceiveTextAsync()).Should().Be("4" + text);
    }

    [Fact]
    public async Task Per_message_deflate_is_not_negotiated_when_off()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, _, _) = await host.OpenWebSocketAsync(o =>
        {
            o.CollectHttpResponseDetails = true;
            o.DangerousDeflateOptions = new WebSocketDeflateOptions();
        });
        using var _ = socket;

        socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions").Should().BeFalse();
    }

    // ---- Messages over the limit ----

    [Fact]
    public async Task A_message_over_the_limit_is_refused_with_close_1009()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxHttpBufferSize = 100);
        var bystander = await host.OpenPollingAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendTextAsync("4" + new string('x', 100));

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.TransportError);
        host.Handler.For(sid).Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_message_over_the_limit_sent_in_fragments_is_refused_with_close_1009()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxHttpBufferSize = 10_000);
        var bystander = await host.OpenPollingAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        var chunk = Encoding.ASCII.GetBytes(new string('x', 4000));
        await socket.SendAsync(chunk, WebSocketMessageType.Binary, false, CancellationToken.None).WaitAsync(Limits.Await);
        await socket.SendAsync(chunk, WebSocketMessageType.Binary, false, CancellationToken.None).WaitAsync(Limits.Await);
        await socket.SendAsync(chunk, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Limits.Await);

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.TransportError);
        host.Handler.For(sid).Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_message_of_exactly_the_limit_is_accepted()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.MaxHttpBufferSize = 100);
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendTextAsync("4" + new string('x', 99));
        await socket.SendBinaryAsync(new byte[100]);

        (await host.Handler.For(sid).NextMessageAsync()).Data.Should().HaveCount(99);
        (await host.Handler.For(sid).NextMessageAsync()).Data.Should().HaveCount(100);
    }

    [Fact]
    public async Task A_large_fragmented_message_under_the_limit_is_read_whole()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();

        await socket.SendAsync(data.AsMemory(0, 100_000), WebSocketMessageType.Binary, false, CancellationToken.None).AsTask().WaitAsync(Limits.Await);
        await socket.SendAsync(data.AsMemory(100_000), WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(Limits.Await);

        (await host.Handler.For(sid).NextMessageAsync()).Data.Should().Equal(data);
        (await socket.ReceiveFrameAsync()).Data.Should().Equal(data);
    }

    // ---- Bad frames ----

    [Theory]
    [InlineData("abc")]
    [InlineData("9x")]
    [InlineData("b!!!")]
    [InlineData("")]
    public async Task A_text_frame_that_is_no_packet_closes_the_session_with_ParseError(string frame)
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendTextAsync(frame);

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.ParseError);
        host.Handler.For(sid).Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task Garbage_bytes_instead_of_websocket_frames_close_the_session_with_TransportError()
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();
        (await host.Handler.NextOpenedAsync()).Id.Should().Be(bystander.Sid);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.Port).WaitAsync(Limits.Await);
        var stream = tcp.GetStream();
        var handshake = $"GET {host.Path("EIO=4&transport=websocket")} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n" +
                        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(handshake)).AsTask().WaitAsync(Limits.Await);
        var session = await host.Handler.NextOpenedAsync();

        // A complete masked frame with all three reserved bits set and an undefined opcode: nothing a client may send.
        await stream.WriteAsync(new byte[] { 0xF3, 0x80, 0x01, 0x02, 0x03, 0x04 }).AsTask().WaitAsync(Limits.Await);

        await AssertClosedOnceAsync(host.Handler.For(session.Id), EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_closes_the_session_with_TransportError()
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendAsync(new byte[] { (byte)'4', 0xC3, 0x28, 0xFF }, WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Limits.Await);

        try
        {
            (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        }
        catch (WebSocketException)
        {
            // .NET's server WebSocket sends its 1007 close frame itself, then aborts the connection at once: the
            // reset may reach the client before the frame is read. Either way the client learns it was refused.
        }
        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.TransportError);
        host.Handler.For(sid).Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_ping_from_a_v4_client_closes_the_session_with_TransportError()
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendTextAsync("2");

        (await socket.ReceiveCloseAsync()).Type.Should().Be(WebSocketMessageType.Close);
        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_close_packet_frame_closes_the_session_with_TransportClose()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        await socket.SendTextAsync("1");

        (await socket.ReceiveCloseAsync()).Type.Should().Be(WebSocketMessageType.Close);
        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.TransportClose);
    }

    [Fact]
    public async Task A_client_that_drops_its_connection_closes_the_session_with_TransportError()
    {
        await using var host = await EngineTestHost.StartAsync();
        var bystander = await host.OpenPollingAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();

        socket.Abort();
        socket.Dispose();

        await AssertClosedOnceAsync(host.Handler.For(sid), EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_close_deadline_that_fires_after_the_request_ended_leaves_the_disposed_request_alone()
    {
        // The deadline's timer can fire after the request is over (see WebSocketTransport.OnCloseDeadline), when
        // Kestrel has disposed the HttpContext. Aborting that context throws, and on a timer thread that ends the process.
        await using var host = await EngineTestHost.StartAsync();
        await using var client = await RawWebSocketClient.ConnectAsync(host, "EIO=4&transport=websocket", extensions: null);
        var open = await client.ReadTextAsync();
        using var handshake = JsonDocument.Parse(open[1..]);
        var sid = handshake.RootElement.GetProperty("sid").GetString()!;
        var transport = (WebSocketTransport)host.Handler.For(sid).Session!.CurrentTransport;

        await client.SendCloseAsync();
        (await client.ReadFrameAsync()).Opcode.Should().Be(RawFrame.CloseOpcode);
        // Kestrel closes the connection once the request is over and its HttpContext disposed.
        await client.ReadEndOfStreamAsync();
        (await host.Handler.For(sid).ClosedAsync()).Should().Be(EngineCloseReason.TransportClose);

        transport.Invoking(t => t.OnCloseDeadline()).Should().NotThrow();
    }

    // ---- WebSockets that may not join a session ----

    [Fact]
    public async Task A_websocket_for_an_already_upgraded_session_is_accepted_then_closed()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var upgraded = await host.ConnectWebSocketAsync(client.Sid);
        await upgraded.SendTextAsync("2probe");
        (await upgraded.ReceiveTextAsync()).Should().Be("3probe");
        await upgraded.SendTextAsync("5");
        await Limits.EventuallyAsync(() => client.Session.TransportName == "websocket", "the upgrade completed");

        using var intruder = await host.ConnectWebSocketAsync(client.Sid);
        await intruder.SendTextAsync("2probe");

        (await intruder.ReceiveCloseAsync()).Type.Should().Be(WebSocketMessageType.Close);
        client.Log.IsClosed.Should().BeFalse();
        await upgraded.SendTextAsync("4still mine");
        (await upgraded.ReceiveTextAsync()).Should().Be("4still mine");
    }

    [Fact]
    public async Task A_websocket_for_a_websocket_session_is_accepted_then_closed()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (socket, sid, _) = await host.OpenWebSocketAsync();
        using var _ = socket;

        using var intruder = await host.ConnectWebSocketAsync(sid);
        await intruder.SendTextAsync("4hijack");

        (await intruder.ReceiveCloseAsync()).Type.Should().Be(WebSocketMessageType.Close);
        host.Handler.For(sid).IsClosed.Should().BeFalse();
        host.Handler.For(sid).Messages.Should().BeEmpty();
        await socket.SendTextAsync("4mine");
        (await socket.ReceiveTextAsync()).Should().Be("4mine");
    }

    [Fact]
    public async Task A_second_websocket_during_an_upgrade_is_closed_and_the_first_one_completes()
    {
        await using var host = await EngineTestHost.StartAsync();
        var client = await host.OpenPollingAsync();
        using var first = await host.ConnectWebSocketAsync(client.Sid);
        await first.SendTextAsync("2probe");
        (await first.ReceiveTextAsync()).Should().Be("3probe");

        using var second = await host.ConnectWebSocketAsync(client.Sid);
        (await second.ReceiveCloseAsync()).Type.Should().Be(WebSocketMessageType.Close);

        await first.SendTextAsync("5");
        await first.SendTextAsync("4done");
        (await first.ReceiveTextAsync()).Should().Be("4done");
        client.Session.TransportName.Should().Be("websocket");
    }

    [Fact]
    public async Task A_websocket_for_an_unknown_sid_is_refused_before_the_upgrade()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await FluentActions.Awaiting(() => socket.ConnectAsync(host.WebSocketUri("AAAAAAAAAAAAAAAAAAAA"), CancellationToken.None).WaitAsync(Limits.Await))
            .Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
