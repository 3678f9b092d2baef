using System.Net.WebSockets;
using System.Text;
using EngineIo.Tests.Infrastructure;

namespace EngineIo.Tests.Transports;

/// <summary>
/// WebSocket permessage-deflate (<see cref="EngineIoOptions.PerMessageDeflate"/>): which frames the server compresses,
/// seen on the wire, and how it bounds what a compressed message from the client may inflate to.
/// </summary>
public sealed class PerMessageDeflateTests
{
    private const string Offer = "permessage-deflate; client_max_window_bits";

    private static Task<EngineTestHost> StartAsync(Action<EngineIoOptions>? configure = null) =>
        EngineTestHost.StartAsync(o =>
        {
            o.PerMessageDeflate = new PerMessageDeflateOptions();
            configure?.Invoke(o);
        });

    /// <summary>Opens a WebSocket session offering permessage-deflate; returns the client and its session.</summary>
    private static async Task<(RawWebSocketClient Client, EngineSession Session)> OpenAsync(EngineTestHost host, string? extensions = Offer)
    {
        var client = await RawWebSocketClient.ConnectAsync(host, "EIO=4&transport=websocket", extensions);
        var open = await client.ReadFrameAsync();
        open.Rsv1.Should().BeFalse("the handshake is never compressed");
        open.Text.Should().StartWith("0{");
        return (client, await host.Handler.NextOpenedAsync());
    }

    // ---- Negotiation ----

    [Fact]
    public async Task The_server_accepts_the_offer_without_context_takeover_by_default()
    {
        await using var host = await StartAsync();
        var (client, _) = await OpenAsync(host);
        await using var _ = client;

        client.ResponseHeaders["sec-websocket-extensions"].Should().StartWith("permessage-deflate").And.Contain("server_no_context_takeover");
    }

    [Fact]
    public async Task With_server_context_takeover_the_server_keeps_its_context()
    {
        await using var host = await StartAsync(o => o.PerMessageDeflate!.ServerContextTakeover = true);
        var (client, _) = await OpenAsync(host);
        await using var _ = client;

        client.ResponseHeaders["sec-websocket-extensions"].Should().StartWith("permessage-deflate").And.NotContain("server_no_context_takeover");
    }

    [Fact]
    public async Task Nothing_is_compressed_for_a_client_that_does_not_offer_the_extension()
    {
        await using var host = await StartAsync();
        var (client, session) = await OpenAsync(host, extensions: null);
        await using var _ = client;

        client.ResponseHeaders.Should().NotContainKey("sec-websocket-extensions");
        var text = new string('a', 5000);
        session.Send(EngineMessage.Text(text));
        var frame = await client.ReadFrameAsync();
        frame.Rsv1.Should().BeFalse();
        frame.Text.Should().Be("4" + text);
    }

    // ---- Threshold and the per-message flag ----

    [Fact]
    public async Task A_frame_of_at_least_the_threshold_goes_out_compressed()
    {
        await using var host = await StartAsync();
        var (client, session) = await OpenAsync(host);
        await using var _ = client;

        // The threshold counts the whole frame, type digit included: 1 + 1023 = 1024 bytes.
        var text = new string('x', 1023);
        session.Send(EngineMessage.Text(text));

        var frame = await client.ReadFrameAsync();
        frame.Rsv1.Should().BeTrue();
        frame.Payload.Length.Should().BeLessThan(100);
        frame.Text.Should().Be("4" + text);
    }

    [Fact]
    public async Task A_frame_below_the_threshold_goes_out_as_it_is()
    {
        await using var host = await StartAsync();
        var (client, session) = await OpenAsync(host);
        await using var _ = client;

        var text = new string('x', 1022);
        session.Send(EngineMessage.Text(text));

        var frame = await client.ReadFrameAsync();
        frame.Rsv1.Should().BeFalse();
        Encoding.UTF8.GetString(frame.Payload).Should().Be("4" + text);
    }

    [Fact]
    public async Task A_message_sent_with_compress_false_goes_out_as_it_is_whatever_its_size()
    {
        await using var host = await StartAsync();
        var (client, session) = await OpenAsync(host);
        await using var _ = client;

        var text = new string('y', 50_000);
        session.Send(EngineMessage.Text(text), compress: false);
        session.Send(EngineMessage.Text(text));

        var uncompressed = await client.ReadFrameAsync();
        uncompressed.Rsv1.Should().BeFalse();
        uncompressed.Payload.Length.Should().Be(50_001);
        var compressed = await client.ReadFrameAsync();
        compressed.Rsv1.Should().BeTrue();
        compressed.Text.Should().Be("4" + text);
    }

    [Fact]
    public async Task Binary_messages_are_compressed_too()
    {
        await using var host = await StartAsync();
        var (client, session) = await OpenAsync(host);
        await using var _ = client;

        var data = new byte[4096];
        session.Send(EngineMessage.Binary(data));

        var frame = await client.ReadFrameAsync();
        frame.Opcode.Should().Be(RawFrame.BinaryOpcode);
        frame.Rsv1.Should().BeTrue();
        frame.Inflate().Should().Equal(data);
    }

    [Fact]
    public async Task The_threshold_is_configurable()
    {
        await using var host = await StartAsync(o => o.PerMessageDeflate!.Threshold = 10);
        var (client, session) = await OpenAsync(host);
        await using var _ = client;

        session.Send(EngineMessage.Text("123456789"));
        session.Send(EngineMessage.Text("12345678"));

        (await client.ReadFrameAsync()).Rsv1.Should().BeTrue();
        (await client.ReadFrameAsync()).Rsv1.Should().BeFalse();
    }

    [Fact]
    public async Task Heartbeat_packets_are_never_compressed()
    {
        await using var host = await StartAsync(o =>
        {
            o.PerMessageDeflate!.Threshold = 0;
            o.PingInterval = TimeSpan.FromMilliseconds(50);
        });
        var (client, _) = await OpenAsync(host);
        await using var __ = client;

        var ping = await client.ReadFrameAsync();
        ping.Rsv1.Should().BeFalse();
        ping.Text.Should().Be("2");
    }

    // ---- Compressed messages from the client ----

    private static ClientWebSocket DeflatingClient() =>
        new() { Options = { DangerousDeflateOptions = new WebSocketDeflateOptions() } };

    [Fact]
    public async Task A_compressed_message_that_inflates_past_the_limit_is_refused_with_close_1009()
    {
        await using var host = await StartAsync(o => o.MaxHttpBufferSize = 1_000_000);
        using var socket = DeflatingClient();
        await socket.ConnectAsync(host.WebSocketUri(), CancellationToken.None).WaitAsync(Limits.Await);
        await socket.ReceiveTextAsync();
        var session = await host.Handler.NextOpenedAsync();
        var bystander = await host.OpenPollingAsync();

        // 20 MB of zeros deflate to about 20 kB: one small frame on the wire, twenty times the limit once inflated.
        var bomb = new byte[20_000_000];
        bomb[0] = (byte)'4';
        await socket.SendAsync(bomb, WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Limits.Await);

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        var log = host.Handler.For(session.Id);
        (await log.ClosedAsync()).Should().Be(EngineCloseReason.TransportError);
        log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task The_limit_is_enforced_while_a_compressed_message_inflates_not_once_it_is_complete()
    {
        await using var host = await StartAsync(o => o.MaxHttpBufferSize = 1_000_000);
        using var socket = DeflatingClient();
        await socket.ConnectAsync(host.WebSocketUri(), CancellationToken.None).WaitAsync(Limits.Await);
        await socket.ReceiveTextAsync();
        var session = await host.Handler.NextOpenedAsync();

        // Sixteen times the limit in fragments of a message that never ends: a server that waited for the end
        // before counting would keep inflating (and buffering) until the heartbeat gave up.
        var fragment = new byte[1_000_000];
        fragment[0] = (byte)'4';
        try
        {
            for (var i = 0; i < 16; i++)
            {
                await socket.SendAsync(fragment, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(Limits.Await);
                fragment[0] = (byte)'x';
            }
        }
        catch (WebSocketException)
        {
            // The server may already have closed the connection under the client.
        }

        (await socket.ReceiveCloseAsync()).CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        (await host.Handler.For(session.Id).ClosedAsync()).Should().Be(EngineCloseReason.TransportError);
    }

    [Fact]
    public async Task A_compressed_message_that_inflates_to_exactly_the_limit_is_accepted()
    {
        await using var host = await StartAsync(o => o.MaxHttpBufferSize = 100_000);
        using var socket = DeflatingClient();
        await socket.ConnectAsync(host.WebSocketUri(), CancellationToken.None).WaitAsync(Limits.Await);
        await socket.ReceiveTextAsync();
        var session = await host.Handler.NextOpenedAsync();

        var text = new string('z', 100_000 - 1);
        await socket.SendTextAsync("4" + text);

        (await host.Handler.For(session.Id).NextMessageAsync()).Text.Should().Be(text);
        (await socket.ReceiveTextAsync()).Should().Be("4" + text);
    }
}
