using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EngineIo.Internal.Transports;
using EngineIo.Tests.Infrastructure;

namespace EngineIo.Tests.Transports;

public sealed class PollingTransportTests
{
    private static async Task<EngineTestHost> StartAsync(Action<EngineIoOptions>? configure = null)
    {
        var host = await EngineTestHost.StartAsync(configure);
        return host;
    }

    private static async Task<Task<HttpResponseMessage>> StartWaitingGetAsync(PollingClient client, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        var get = client.StartGetAsync(http, cancellationToken);
        await Limits.EventuallyAsync(() => client.Session.IsWritable, "the GET is waiting");
        return get;
    }

    /// <summary>Checks how a session ended: the reason, told to the handler exactly once.</summary>
    private static async Task AssertClosedOnceAsync(PollingClient client, EngineCloseReason reason)
    {
        (await client.Log.ClosedAsync()).Should().Be(reason);
        client.Log.CloseCount.Should().Be(1);
        client.Session.IsOpen.Should().BeFalse();
    }

    // ---- Responses ----

    [Fact]
    public async Task A_post_is_answered_ok_as_text_html()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        using var response = await client.PostRawAsync(new StringContent("4x"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        response.Content.Headers.ContentLength.Should().Be(2);
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("ok");
    }

    [Fact]
    public async Task Old_internet_explorer_gets_its_xss_filter_turned_off()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.PollingPath());
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (compatible;MSIE 9.0; Windows NT 6.1)");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);
        response.Headers.GetValues("X-XSS-Protection").Should().Equal("0");
    }

    // ---- HTTP compression ----

    private static async Task<HttpResponseMessage> PollWithAcceptEncodingAsync(EngineTestHost host, PollingClient client, string acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, client.Path);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await host.Http.SendAsync(request).WaitAsync(Limits.Await);
    }

    [Fact]
    public async Task A_payload_over_the_threshold_is_gzipped_when_the_client_accepts_gzip()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        var text = new string('x', 2000);
        client.Session.Send(EngineMessage.Text(text));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip, deflate");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.Should().Equal("gzip");
        var compressed = await response.Content.ReadAsByteArrayAsync().WaitAsync(Limits.Await);
        response.Content.Headers.ContentLength.Should().Be(compressed.Length);
        compressed.Length.Should().BeLessThan(2001);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        new StreamReader(gzip, Encoding.UTF8).ReadToEnd().Should().Be("4" + text);
    }

    [Fact]
    public async Task Deflate_is_used_when_the_client_prefers_it()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        var text = new string('y', 2000);
        client.Session.Send(EngineMessage.Text(text));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip;q=0.5, deflate");

        response.Content.Headers.ContentEncoding.Should().Equal("deflate");
        var compressed = await response.Content.ReadAsByteArrayAsync().WaitAsync(Limits.Await);
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        new StreamReader(zlib, Encoding.UTF8).ReadToEnd().Should().Be("4" + text);
    }

    [Fact]
    public async Task A_payload_below_the_threshold_is_not_compressed()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        var text = new string('x', 1022);
        client.Session.Send(EngineMessage.Text(text));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().BeEmpty();
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("4" + text);
    }

    [Fact]
    public async Task A_payload_of_exactly_the_threshold_is_compressed()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        client.Session.Send(EngineMessage.Text(new string('x', 1023)));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().Equal("gzip");
    }

    [Fact]
    public async Task A_packet_sent_with_compress_false_is_not_compressed()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        var text = new string('x', 2000);
        client.Session.Send(EngineMessage.Text(text), compress: false);

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().BeEmpty();
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("4" + text);
    }

    [Fact]
    public async Task Nothing_is_compressed_for_a_client_that_does_not_ask()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        client.Session.Send(EngineMessage.Text(new string('x', 2000)));

        (await client.GetAsync()).Should().HaveLength(2001);
    }

    [Fact]
    public async Task Nothing_is_compressed_when_http_compression_is_off()
    {
        await using var host = await StartAsync(o => o.HttpCompression = null);
        var client = await host.OpenPollingAsync();
        client.Session.Send(EngineMessage.Text(new string('x', 2000)));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().BeEmpty();
    }

    [Fact]
    public async Task A_payload_is_compressed_when_any_of_its_packets_may_be()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        client.Session.Send(EngineMessage.Text(new string('a', 1500)), compress: false);
        client.Session.Send(EngineMessage.Text("b"));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().Equal("gzip");
        var compressed = await response.Content.ReadAsByteArrayAsync().WaitAsync(Limits.Await);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        new StreamReader(gzip, Encoding.UTF8).ReadToEnd().Should().Be("4" + new string('a', 1500) + "" + "4b");
    }

    [Theory]
    [InlineData("gzip;q=0, deflate", "deflate")]
    [InlineData("deflate;q=0.2, gzip;q=0.1", "deflate")]
    [InlineData("*", "gzip")]
    [InlineData("br, *;q=0.5", "gzip")]
    [InlineData("gzip;q=0, deflate;q=0", null)]
    [InlineData("identity", null)]
    [InlineData("br", null)]
    public async Task The_encoding_follows_the_clients_preferences(string acceptEncoding, string? expected)
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        client.Session.Send(EngineMessage.Text(new string('x', 2000)));

        using var response = await PollWithAcceptEncodingAsync(host, client, acceptEncoding);

        response.Content.Headers.ContentEncoding.Should().Equal(expected is null ? [] : [expected]);
    }

    [Fact]
    public async Task The_http_compression_threshold_is_configurable()
    {
        await using var host = await StartAsync(o => o.HttpCompression = new HttpCompressionOptions { Threshold = 3 });
        var client = await host.OpenPollingAsync();
        client.Session.Send(EngineMessage.Text("ab"));

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().Equal("gzip");
    }

    [Fact]
    public async Task A_payload_holding_only_heartbeat_packets_is_not_compressed()
    {
        await using var host = await StartAsync(o =>
        {
            o.HttpCompression = new HttpCompressionOptions { Threshold = 0 };
            o.PingInterval = TimeSpan.FromMilliseconds(50);
        });
        var client = await host.OpenPollingAsync();

        using var response = await PollWithAcceptEncodingAsync(host, client, "gzip");

        response.Content.Headers.ContentEncoding.Should().BeEmpty();
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("2");
    }

    [Fact]
    public async Task A_protocol_v3_binary_payload_is_compressed_like_any_other()
    {
        await using var host = await StartAsync(o => o.AllowEIO3 = true);
        using var handshake = await host.Http.GetAsync(host.Path("EIO=3&transport=polling")).WaitAsync(Limits.Await);
        var session = await host.Handler.NextOpenedAsync();
        var data = new byte[3000];
        session.Send(EngineMessage.Binary(data));

        using var request = new HttpRequestMessage(HttpMethod.Get, host.Path($"EIO=3&transport=polling&sid={session.Id}"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        response.Content.Headers.ContentEncoding.Should().Equal("gzip");
        using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync().WaitAsync(Limits.Await), CompressionMode.Decompress);
        using var payload = new MemoryStream();
        await gzip.CopyToAsync(payload).WaitAsync(Limits.Await);
        payload.ToArray().Should().Equal([1, 3, 0, 0, 1, 255, 4, .. data]);
    }

    // ---- Overlapping requests ----

    [Fact]
    public async Task A_second_poll_while_one_waits_gets_400_and_the_first_gets_a_close_packet()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        var first = await StartWaitingGetAsync(client);

        using var second = await host.Http.GetAsync(client.Path).WaitAsync(Limits.Await);

        await second.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");
        using (var response = await first.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(response)).Should().Be("1");
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_second_post_while_one_is_in_flight_gets_400_and_closes_the_session()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Handler.BeforeMessage = async (session, message) =>
        {
            if (message.Text != "hold") return;
            entered.TrySetResult();
            await release.Task.WaitAsync(Limits.Await);
        };

        // The first POST stays in flight while the handler holds its message.
        var first = client.PostRawAsync(new StringContent("4hold"));
        await entered.Task.WaitAsync(Limits.Await);

        using var second = await client.PostRawAsync(new StringContent("4second"));

        second.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        release.SetResult();
        using (await first) { }
        client.Log.Messages.Select(m => m.Text).Should().Equal("hold");
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_client_polling_again_on_another_connection_as_soon_as_it_has_the_payload_is_no_overlap()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        using var other = host.CreateHttpClient();
        var clients = new[] { host.Http, other };

        // A well-behaved client sends its next GET once it has read the previous payload whole, on whatever
        // connection is free: the engine must not take that for an overlapping GET.
        // Large payloads make Kestrel's flush wait for the socket, widening the window after the last byte is out.
        var filler = new string('f', 200_000);
        for (var i = 0; i < 200; i++)
        {
            client.Session.Send(EngineMessage.Text(filler + i), compress: false);
            using var response = await client.StartGetAsync(clients[i % 2]).WaitAsync(Limits.Await);
            response.StatusCode.Should().Be(HttpStatusCode.OK, "GET {0} must not be taken for an overlap", i);
            (await PollingClient.ReadPayloadAsync(response)).Should().Be("4" + filler + i);
        }

        client.Log.IsClosed.Should().BeFalse();
    }

    [Fact]
    public async Task A_client_posting_again_on_another_connection_as_soon_as_it_has_its_ok_is_no_overlap()
    {
        await using var host = await StartAsync();
        host.Handler.Echo = false;
        var client = await host.OpenPollingAsync();
        using var other = host.CreateHttpClient();
        var clients = new[] { host.Http, other };

        for (var i = 0; i < 200; i++)
        {
            using var response = await clients[i % 2].PostAsync(client.Path, new StringContent("4m" + i)).WaitAsync(Limits.Await);
            var body = await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
            response.StatusCode.Should().Be(HttpStatusCode.OK, "POST {0} was answered \"{1}\"", i, body);
            body.Should().Be("ok");
        }

        client.Log.IsClosed.Should().BeFalse();
        client.Log.Messages.Should().HaveCount(200);
    }

    // ---- Order of the answers ----

    [Fact]
    public async Task A_packet_sent_while_a_post_is_handled_reaches_the_waiting_get_only_after_the_posts_ok()
    {
        // The Socket.IO case: a POST carries CONNECT and the CONNECT reply is sent while that POST is still open. A
        // client that reads the reply before its "ok" acts on it while it still cannot write (issue 12, item 5).
        var recorder = new ResponseWriteRecorder();
        await using var host = await EngineTestHost.StartAsync(middleware: recorder.Install);
        host.Handler.Echo = false;
        var client = await host.OpenPollingAsync();
        host.Handler.BeforeMessage = async (session, message) =>
        {
            session.Send(EngineMessage.Text("0reply"));
            // Unless the engine holds the reply back, it is on its way to the waiting GET: wait until its write has
            // started, so that the POST's "ok" loses that race every time rather than now and then.
            if (!((PollingTransport)session.CurrentTransport).IsHoldingBatch) await recorder.WhenRecorded("GET 40reply writing").WaitAsync(Limits.Await);
        };
        var get = await StartWaitingGetAsync(client);

        await client.PostAsync("40");

        using (var response = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(response)).Should().Be("40reply");
        // The server's order (the handshake left out): the answer to the POST is out before the GET's starts.
        recorder.Events.Where(e => !e.StartsWith("GET 0{", StringComparison.Ordinal)).Take(3)
            .Should().Equal("POST ok writing", "POST ok written", "GET 40reply writing");
    }

    [Fact]
    public async Task A_handler_that_awaits_while_a_post_is_handled_does_not_hold_back_what_the_session_sends()
    {
        await using var host = await StartAsync();
        host.Handler.Echo = false;
        var client = await host.OpenPollingAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Handler.BeforeMessage = async (session, message) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(Limits.Await);
        };
        var get = await StartWaitingGetAsync(client);
        var post = client.PostAsync("4slow");
        await entered.Task.WaitAsync(Limits.Await);

        // The POST stays in flight while its handler awaits; the session's news must not wait for it.
        client.Session.Send(EngineMessage.Text("news"));

        using (var response = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(response)).Should().Be("4news");
        post.IsCompleted.Should().BeFalse();
        release.SetResult();
        await post.WaitAsync(Limits.Await);
    }

    // ---- Bodies over the limit ----

    [Fact]
    public async Task A_post_over_the_limit_gets_413_and_closes_the_session()
    {
        await using var host = await StartAsync(o => o.MaxHttpBufferSize = 100);
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        var get = await StartWaitingGetAsync(client);

        using var response = await client.PostRawAsync(new StringContent("4" + new string('x', 100)));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        using (var released = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(released)).Should().Be("1");
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        client.Log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_chunked_post_over_the_limit_gets_413_and_closes_the_session()
    {
        await using var host = await StartAsync(o => o.MaxHttpBufferSize = 100);
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();

        using var response = await client.PostRawAsync(new ChunkedContent(Encoding.ASCII.GetBytes("4" + new string('x', 150))));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        client.Log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_post_of_exactly_the_limit_is_accepted()
    {
        await using var host = await StartAsync(o => o.MaxHttpBufferSize = 100);
        var client = await host.OpenPollingAsync();

        await client.PostAsync("4" + new string('x', 99));
        using var chunked = await client.PostRawAsync(new ChunkedContent(Encoding.ASCII.GetBytes("4" + new string('y', 99))));

        chunked.StatusCode.Should().Be(HttpStatusCode.OK);

        client.Log.Messages.Select(m => m.Data.Length).Should().Equal(99, 99);
    }

    [Fact]
    public async Task A_large_chunked_post_under_the_limit_is_read_whole()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        var text = string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)('a' + i % 26)));

        using var response = await client.PostRawAsync(new ChunkedContent(Encoding.ASCII.GetBytes("4" + text)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Log.NextMessageAsync()).Text.Should().Be(text);
    }

    // ---- Bad bodies ----

    [Fact]
    public async Task A_binary_post_under_protocol_4_gets_400_and_closes_the_session()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        var content = new ByteArrayContent([0x04, 0x01]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");

        using var response = await client.PostRawAsync(content);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        client.Log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("9x")]
    [InlineData("b!!!")]
    [InlineData("4good\x1e" + "9bad")]
    [InlineData("4good\x1e")]
    public async Task A_malformed_payload_gets_400_delivers_nothing_and_closes_with_ParseError(string payload)
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        var get = await StartWaitingGetAsync(client);

        using var response = await client.PostRawAsync(new StringContent(payload));

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");
        using (var released = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(released)).Should().Be("1");
        await AssertClosedOnceAsync(client, EngineCloseReason.ParseError);
        client.Log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_ping_from_a_v4_client_closes_the_session_with_TransportError()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        var get = await StartWaitingGetAsync(client);

        await client.PostAsync("2");

        using (var released = await get.WaitAsync(Limits.Await)) (await PollingClient.ReadPayloadAsync(released)).Should().Be("1");
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_put_to_a_session_is_refused_and_leaves_it_alone()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, client.Path) { Content = new StringContent("4x") };

        using var response = await host.Http.SendAsync(request).WaitAsync(Limits.Await);

        await response.ShouldBeErrorAsync(HttpStatusCode.BadRequest, 3, "Bad request");
        await client.AssertStillEchoesAsync();
    }

    // ---- Clients that vanish ----

    [Fact]
    public async Task A_client_that_aborts_its_poll_closes_the_session_with_TransportError()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        using var http = host.CreateHttpClient();
        using var abort = new CancellationTokenSource();
        var get = await StartWaitingGetAsync(client, http, abort.Token);

        abort.Cancel();

        await FluentActions.Awaiting(() => get.WaitAsync(Limits.Await)).Should().ThrowAsync<OperationCanceledException>();
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_client_whose_connection_drops_during_a_poll_closes_the_session_with_TransportError()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, host.Port).WaitAsync(Limits.Await);
            var request = $"GET {client.Path} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n\r\n";
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(Limits.Await);
            await Limits.EventuallyAsync(() => client.Session.IsWritable, "the GET is waiting");
        }

        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_client_whose_connection_drops_during_a_post_closes_the_session_with_TransportError()
    {
        await using var host = await StartAsync();
        var bystander = await host.OpenPollingAsync();
        var client = await host.OpenPollingAsync();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, host.Port).WaitAsync(Limits.Await);
            var request = $"POST {client.Path} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nContent-Length: 100\r\n\r\n4partial";
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(Limits.Await);
            await tcp.GetStream().FlushAsync().WaitAsync(Limits.Await);
            tcp.Client.Shutdown(SocketShutdown.Both);
        }

        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
        client.Log.Messages.Should().BeEmpty();
        await bystander.AssertStillEchoesAsync();
    }

    [Fact]
    public async Task A_post_whose_body_stalls_is_answered_408_not_ok()
    {
        await using var host = await StartAsync();
        var client = await host.OpenPollingAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.Port).WaitAsync(Limits.Await);
        var stream = tcp.GetStream();
        // A tenth of the body, then nothing: Kestrel's minimum request body data rate (240 B/s after a 5 s grace)
        // gives up on it.
        var request = $"POST {client.Path} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nContent-Length: 100\r\n\r\n4partial";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(Limits.Await);

        var answer = new byte[512];
        var read = await stream.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Encoding.ASCII.GetString(answer, 0, read).Should().StartWith("HTTP/1.1 408 ");
        await AssertClosedOnceAsync(client, EngineCloseReason.TransportError);
    }
}
