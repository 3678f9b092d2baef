using System.Buffers;
using System.Text;
using EngineIo.Internal.Direct;

namespace EngineIo.Tests.Internal.Direct;

public sealed class UpgradeRequestHeadTests
{
    private const string Path = "/socket.io";

    private const string Handshake =
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
        "Host: 127.0.0.1:3000\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: keep-alive, Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "X-Twice: a\r\n" +
        "x-twice: b\r\n" +
        "\r\n";

    private static HeadVerdict Read(string text, out UpgradeRequestHead? head, out long consumed)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text));
        var verdict = UpgradeRequestHead.TryRead(buffer, Path, out head, out var end);
        consumed = buffer.Slice(buffer.Start, end).Length;
        return verdict;
    }

    private static HeadVerdict Verdict(string text) => Read(text, out _, out _);

    [Fact]
    public void A_websocket_handshake_on_the_engine_path_is_ours_and_read_whole()
    {
        Read(Handshake + "\x81\x00", out var head, out var consumed).Should().Be(HeadVerdict.Ours);
        consumed.Should().Be(Handshake.Length, "the bytes after the head stay for the WebSocket");
        head!.Path.Should().Be("/socket.io/");
        head.QueryString.Should().Be("?EIO=4&transport=websocket");
        head.Host.Should().Be("127.0.0.1:3000");
        head.WebSocketKey.Should().Be("dGhlIHNhbXBsZSBub25jZQ==");
        head.Find("x-twice").ToArray().Should().Equal("a", "b");
        head.OffersExtensions.Should().BeFalse();
    }

    [Fact]
    public void Two_handshakes_share_the_strings_they_repeat_but_not_their_keys()
    {
        // Each session keeps its handshake's head for its life: the same names and values are one instance each.
        Read(Handshake, out var first, out _);
        Read(Handshake.Replace("dGhlIHNhbXBsZSBub25jZQ==", "AQIDBAUGBwgJCgsMDQ4PEC=="), out var second, out _);

        second!.Path.Should().BeSameAs(first!.Path);
        second.QueryString.Should().BeSameAs(first.QueryString);
        foreach (var (header, index) in first.Headers.Select((h, i) => (h, i)))
        {
            second.Headers[index].Key.Should().BeSameAs(header.Key);
            if (header.Key == "Sec-WebSocket-Key") continue;
            second.Headers[index].Value.ToArray().Zip(header.Value.ToArray()).Should().OnlyContain(pair => ReferenceEquals(pair.First, pair.Second), header.Key);
        }
        second.WebSocketKey.Should().Be("AQIDBAUGBwgJCgsMDQ4PEC==");

        // A key differs on every request: never offered to the shared strings, even when one repeats.
        Read(Handshake, out var again, out _);
        again!.Find("Sec-WebSocket-Key").ToString().Should().NotBeSameAs(first.Find("Sec-WebSocket-Key").ToString());
    }

    [Fact]
    public void The_path_without_its_trailing_slash_matches_too() =>
        Verdict(Handshake.Replace("/socket.io/?", "/socket.io?")).Should().Be(HeadVerdict.Ours);

    [Fact]
    public void Every_prefix_of_the_head_asks_for_more()
    {
        for (var length = 1; length < Handshake.Length; length++)
            Verdict(Handshake[..length]).Should().Be(HeadVerdict.Incomplete, $"{length} bytes are not the whole head");
        Verdict("").Should().Be(HeadVerdict.Incomplete);
    }

    [Theory]
    [InlineData("POST /socket.io/?EIO=4&transport=websocket HTTP/1.1", null)]
    [InlineData("GET /socket.io/?EIO=4&transport=websocket HTTP/1.0", null)]
    [InlineData("GET /other/?EIO=4&transport=websocket HTTP/1.1", null)]
    [InlineData("GET /socket.iox/?EIO=4&transport=websocket HTTP/1.1", null)]
    [InlineData("GET /socket%2Eio/?EIO=4&transport=websocket HTTP/1.1", null)]
    [InlineData("GET  /socket.io/?EIO=4&transport=websocket HTTP/1.1", null)]
    [InlineData(null, "Upgrade: websocket\r\n|Upgrade: h2c\r\n")]
    [InlineData(null, "Connection: keep-alive, Upgrade\r\n|Connection: keep-alive\r\n")]
    [InlineData(null, "Sec-WebSocket-Version: 13\r\n|Sec-WebSocket-Version: 8\r\n")]
    [InlineData(null, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n|Sec-WebSocket-Key: short\r\n")]
    [InlineData(null, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n|")]
    [InlineData(null, "Host: 127.0.0.1:3000\r\n|")]
    [InlineData(null, "Host: 127.0.0.1:3000\r\n|Host: a\r\nHost: b\r\n")]
    [InlineData(null, "X-Twice: a\r\n|X-Twice : a\r\n")]
    [InlineData(null, "X-Twice: a\r\n|X-Twice: a\r\n folded\r\n")]
    [InlineData(null, "X-Twice: a\r\n|X-Twice: a\u0001b\r\n")]
    [InlineData(null, "X-Twice: a\r\n|Bad Name: a\r\n")]
    [InlineData(null, "X-Twice: a\r\n|Transfer-Encoding: chunked\r\n")]
    [InlineData(null, "X-Twice: a\r\n|Content-Length: 5\r\n")]
    public void Anything_unusual_is_left_to_kestrel(string? requestLine, string? headerSwap)
    {
        var text = Handshake;
        if (requestLine is not null) text = requestLine + text[text.IndexOf("\r\n", StringComparison.Ordinal)..];
        if (headerSwap is not null)
        {
            var parts = headerSwap.Split('|');
            text = text.Replace(parts[0], parts[1]);
        }
        Verdict(text).Should().Be(HeadVerdict.NotOurs);
    }

    [Fact]
    public void Other_protocols_are_told_apart_at_the_first_byte()
    {
        Verdict("PRI * HTTP/2.0\r\n").Should().Be(HeadVerdict.NotOurs);
        Verdict("\x16\x03\x01").Should().Be(HeadVerdict.NotOurs);
    }

    [Fact]
    public void A_head_over_the_limit_is_left_to_kestrel()
    {
        var big = Handshake.Replace("X-Twice: a\r\n", "X-Big: " + new string('a', UpgradeRequestHead.MaxHeadLength) + "\r\n");
        Verdict(big).Should().Be(HeadVerdict.NotOurs);
        Verdict(big[..(UpgradeRequestHead.MaxHeadLength + 100)]).Should().Be(HeadVerdict.NotOurs, "it cannot end within the limit");
    }

    [Fact]
    public void An_offered_extension_is_noticed()
    {
        Read(Handshake.Replace("X-Twice: a\r\n", "Sec-WebSocket-Extensions: permessage-deflate\r\n"), out var head, out _).Should().Be(HeadVerdict.Ours);
        head!.OffersExtensions.Should().BeTrue();
    }

    [Fact]
    public void The_accept_value_is_the_one_of_RFC_6455() =>
        DirectWebSocketMiddleware.AcceptValue("dGhlIHNhbXBsZSBub25jZQ==").Should().Be("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
