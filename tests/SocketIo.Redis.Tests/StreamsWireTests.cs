using System.Collections.Immutable;
using System.Text.Json;
using SocketIo.Adapters;
using SocketIo.Adapters.Cluster;
using SocketIo.Redis.Internal.Streams;
using StackExchange.Redis;

namespace SocketIo.Redis.Tests;

/// <summary>
/// The Redis Streams adapter's formats against what @socket.io/redis-streams-adapter 0.3.1 wrote on a Node socket.io
/// 4.8.4 server (captured once with the npm packages from a private redis-server: <c>XRANGE socket.io - +</c> after
/// <c>io.to("room1").except("room2").emit(...)</c> and the other operations below, and <c>GET sio:session:abcPid</c>
/// after <c>adapter.persistSession(...)</c>).
/// </summary>
public sealed class StreamsWireTests
{
    private const string NodeUid = "8b67247c951a1728";

    // XRANGE of the npm package's stream, field by field (uid, nsp, type, data, in that order).
    private const string BroadcastData = """{"packet":{"type":2,"data":["event",1,"two",{"three":[3]}]},"opts":{"rooms":["room1"],"except":["room2"],"flags":{}}}""";
    private const string BinaryBroadcastData = "gqZwYWNrZXSCpHR5cGUCpGRhdGGTo2JpbsQDAQIDgaZuZXN0ZWTEAf+kb3B0c4Olcm9vbXOQpmV4Y2VwdJClZmxhZ3OA";
    private const string VolatileBroadcastData = """{"packet":{"type":2,"data":["vol"]},"opts":{"rooms":[],"except":[],"flags":{"compress":false,"volatile":true}}}""";
    private const string SocketsJoinData = """{"opts":{"rooms":["room1"],"except":[],"flags":{}},"rooms":["a","b"]}""";
    private const string SocketsLeaveData = """{"opts":{"rooms":["room1"],"except":[],"flags":{}},"rooms":["a"]}""";
    private const string DisconnectData = """{"opts":{"rooms":["x"],"except":[],"flags":{}},"close":true}""";

    // persistSession({ sid: "abcSid", pid: "abcPid", rooms: ["abcSid", "room1"], data: { user: "ann", n: 3, ok: true } })
    private const string StoredSession = "hKNzaWSmYWJjU2lko3BpZKZhYmNQaWSlcm9vbXOSpmFiY1NpZKVyb29tMaRkYXRhg6R1c2Vyo2FubqFuA6Jva8M=";

    // An ephemeral request as the npm package publishes it on socket.io#/# (@msgpack/msgpack of the whole message).
    private const string FetchSocketsHex = "84a47479706507a46461746182a46f70747383a5726f6f6d7391a172a665786365707490a5666c61677380a9726571756573744964a472657131a3756964a27531a36e7370a12f";

    private static byte[] Json(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    private static BroadcastOptions Options(string[] rooms, string[] except) => new()
    {
        Rooms = ImmutableHashSet.CreateRange(rooms),
        Except = ImmutableHashSet.CreateRange(except),
    };

    private static ClusterMessage Message(ClusterMessageType type, Action<Utf8JsonWriter> data, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null) =>
        ClusterMessage.Create(type, NodeUid, "/", ClusterJson.Object(data), attachments);

    private static string[] Fields(NameValueEntry[] entry) => entry.Select(e => (string)e.Name! + "=" + (string)e.Value!).ToArray();

    private static string[] NodeFields(string type, string data) => ["uid=" + NodeUid, "nsp=/", "type=" + type, "data=" + data];

    [Theory]
    // Computed by the npm package's own hashCode (dist/util.js of 0.3.1): "-0" is written "0" there, negative
    // remainders keep their sign, and characters are UTF-16 code units (a surrogate pair counts twice).
    [InlineData("/", 1, "socket.io")]
    [InlineData("/", 3, "socket.io-2")]
    [InlineData("/admin", 3, "socket.io-1")]
    [InlineData("/admin", 5, "socket.io-3")]
    [InlineData("/orders/eu", 3, "socket.io-0")]
    [InlineData("/orders/eu", 5, "socket.io--2")]
    [InlineData("/notifications", 3, "socket.io--2")]
    [InlineData("/dashboard", 3, "socket.io--1")]
    [InlineData("/a-rather-long-namespace-name-for-overflow", 5, "socket.io-1")]
    [InlineData("/café", 5, "socket.io-3")]
    [InlineData("/😀", 3, "socket.io-0")]
    public void A_namespace_goes_to_the_stream_the_npm_package_computes(string nsp, int streamCount, string stream) =>
        RedisStreamsHub.StreamOf(nsp, new RedisStreamsAdapterOptions { StreamCount = streamCount }).Should().Be(stream);

    [Fact]
    public void Stream_entries_are_written_field_for_field_as_the_npm_package_writes_them()
    {
        Fields(StreamEntryCodec.Encode(Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["event",1,"two",{"three":[3]}]"""), []));
            ClusterJson.WriteOptions(w, Options(["room1"], ["room2"]));
        }))).Should().Equal(NodeFields("3", BroadcastData));

        Fields(StreamEntryCodec.Encode(Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["bin",{"_placeholder":true,"num":0},{"nested":{"_placeholder":true,"num":1}}]"""), []));
            ClusterJson.WriteOptions(w, Options([], []));
        }, [new byte[] { 1, 2, 3 }, new byte[] { 255 }]))).Should().Equal(NodeFields("3", BinaryBroadcastData), "binary data is the base64 of its msgpack");

        Fields(StreamEntryCodec.Encode(Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["vol"]"""), []));
            ClusterJson.WriteOptions(w, Options([], []) with { Compress = false, Volatile = true });
        }))).Should().Equal(NodeFields("3", VolatileBroadcastData));

        Fields(StreamEntryCodec.Encode(Message(ClusterMessageType.SocketsJoin, w =>
        {
            ClusterJson.WriteOptions(w, Options(["room1"], []));
            ClusterJson.WriteStrings(w, "rooms", ["a", "b"]);
        }))).Should().Equal(NodeFields("4", SocketsJoinData));

        Fields(StreamEntryCodec.Encode(Message(ClusterMessageType.DisconnectSockets, w =>
        {
            ClusterJson.WriteOptions(w, Options(["x"], []));
            w.WriteBoolean("close", true);
        }))).Should().Equal(NodeFields("6", DisconnectData));
    }

    [Fact]
    public void Stream_entries_of_the_npm_package_are_read()
    {
        NameValueEntry[] Entry(string type, string data) => [new("uid", NodeUid), new("nsp", "/"), new("type", type), new("data", data)];

        var broadcast = StreamEntryCodec.TryDecode(Entry("3", BroadcastData))!;
        broadcast.Type.Should().Be(ClusterMessageType.Broadcast);
        broadcast.Uid.Should().Be(NodeUid);
        broadcast.Namespace.Should().Be("/");
        System.Text.Encoding.UTF8.GetString(broadcast.DataJson.Span).Should().Be(BroadcastData);

        var binary = StreamEntryCodec.TryDecode(Entry("3", BinaryBroadcastData))!;
        System.Text.Encoding.UTF8.GetString(binary.DataJson.Span).Should().Be(
            """{"packet":{"type":2,"data":["bin",{"_placeholder":true,"num":0},{"nested":{"_placeholder":true,"num":1}}]},"opts":{"rooms":[],"except":[],"flags":{}}}""");
        binary.Attachments.Select(a => a.ToArray()).Should().BeEquivalentTo([new byte[] { 1, 2, 3 }, new byte[] { 255 }], o => o.WithStrictOrdering());

        StreamEntryCodec.TryDecode(Entry("5", SocketsLeaveData))!.Type.Should().Be(ClusterMessageType.SocketsLeave);
        StreamEntryCodec.TryDecode(Entry("3", "not base64 !")).Should().BeNull("bad input is ignored, never thrown");
        StreamEntryCodec.TryDecode([new("uid", NodeUid), new("type", "3")]).Should().BeNull("an entry without nsp is not a message, as the reference skips it");
    }

    [Fact]
    public void Sessions_are_stored_byte_for_byte_as_the_npm_package_stores_them_and_read_back()
    {
        var data = Json("""{"user":"ann","n":3,"ok":true}""");
        SessionCodec.Encode("abcSid", "abcPid", ["abcSid", "room1"], data, []).Should().Be(StoredSession);

        var session = SessionCodec.TryDecode(StoredSession, DateTimeOffset.UnixEpoch)!;
        session.SocketId.Should().Be("abcSid");
        session.PrivateId.Should().Be("abcPid");
        session.Rooms.Should().Equal("abcSid", "room1");
        var element = (JsonElement)session.Data!;
        element.GetProperty("user").GetString().Should().Be("ann");
        element.GetProperty("n").GetInt32().Should().Be(3);
        element.GetProperty("ok").GetBoolean().Should().BeTrue();

        SessionCodec.TryDecode("%%%", DateTimeOffset.UnixEpoch).Should().BeNull();
    }

    [Fact]
    public void Requests_on_pub_sub_are_the_msgpack_of_the_whole_message()
    {
        var message = ClusterMessage.Create(ClusterMessageType.FetchSockets, "u1", "/", ClusterJson.Object(w =>
        {
            ClusterJson.WriteOptions(w, Options(["r"], []));
            w.WriteString("requestId", "req1");
        }));
        Convert.ToHexStringLower(message.EncodeMsgPack()).Should().Be(FetchSocketsHex);

        var read = ClusterMessage.TryDecode(Convert.FromHexString(FetchSocketsHex))!;
        read.Type.Should().Be(ClusterMessageType.FetchSockets);
        read.RequestId.Should().Be("req1");
    }

    [Fact]
    public void Stream_offsets_compare_as_entry_ids()
    {
        StreamOffset.Compare("1700000000000-2", "1700000000000-10").Should().BeNegative();
        StreamOffset.Compare("1700000000001-0", "1700000000000-10").Should().BePositive();
        StreamOffset.Next("5-9").Should().Be("5-10");
        StreamOffset.IsValid("12-3").Should().BeTrue();
        StreamOffset.IsValid("abcd-3").Should().BeFalse();
        StreamOffset.IsValid("12").Should().BeFalse();
    }
}
