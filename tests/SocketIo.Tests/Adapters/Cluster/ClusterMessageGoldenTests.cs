using System.Collections.Immutable;
using System.Text.Json;
using SocketIo.Adapters;
using SocketIo.Adapters.Cluster;

namespace SocketIo.Tests.Adapters.Cluster;

/// <summary>
/// Every cluster message type against the bytes @socket.io/redis-adapter 8.3.0's sharded adapter writes for the same
/// message (cluster-vectors.txt, made by make-cluster-vectors.cjs with the npm packages; uid and request id fixed).
/// </summary>
public sealed class ClusterMessageGoldenTests
{
    private const string Uid = "0123456789abcdef";
    private const string RequestId = "fedcba9876543210";

    private static readonly Dictionary<string, byte[]> Vectors = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Adapters", "Cluster", "cluster-vectors.txt"))
        .Where(line => line.Length > 0)
        .Select(line => line.Split(' '))
        .ToDictionary(parts => parts[0], parts => Convert.FromHexString(parts[1]));

    private static BroadcastOptions Options(string[] rooms, string[] except) => new()
    {
        Rooms = ImmutableHashSet.CreateRange(rooms),
        Except = ImmutableHashSet.CreateRange(except),
    };

    private static byte[] Json(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    private static ClusterMessage Message(ClusterMessageType type, Action<Utf8JsonWriter>? data = null, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null) =>
        ClusterMessage.Create(type, Uid, "/", data is null ? ReadOnlyMemory<byte>.Empty : ClusterJson.Object(data), attachments);

    public static TheoryData<string> Names() => new(Ours().Keys);

    private static Dictionary<string, ClusterMessage> Ours() => new()
    {
        ["initialHeartbeat"] = Message(ClusterMessageType.InitialHeartbeat),
        ["heartbeat"] = Message(ClusterMessageType.Heartbeat),
        ["broadcast"] = Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["hello",1,{"a":"é"}]"""), []));
            ClusterJson.WriteOptions(w, Options(["room1"], ["s1"]));
        }),
        ["broadcastVolatile"] = Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["hello"]"""), []));
            ClusterJson.WriteOptions(w, Options([], []) with { Compress = false, Volatile = true });
        }),
        ["broadcastBinary"] = Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["bin",{"_placeholder":true,"num":0}]"""), []));
            ClusterJson.WriteOptions(w, Options([], []));
        }, [new byte[] { 1, 2, 3 }]),
        ["broadcastWithAck"] = Message(ClusterMessageType.Broadcast, w =>
        {
            ClusterJson.WritePacket(w, new AdapterPacket("/", Json("""["ask"]"""), []));
            w.WriteString("requestId", RequestId);
            ClusterJson.WriteOptions(w, Options([], []) with { Timeout = TimeSpan.FromSeconds(1) });
        }),
        ["socketsJoin"] = Message(ClusterMessageType.SocketsJoin, w =>
        {
            ClusterJson.WriteOptions(w, Options(["a"], []));
            ClusterJson.WriteStrings(w, "rooms", ["r1", "r2"]);
        }),
        ["socketsLeave"] = Message(ClusterMessageType.SocketsLeave, w =>
        {
            ClusterJson.WriteOptions(w, Options([], ["b"]));
            ClusterJson.WriteStrings(w, "rooms", ["r1"]);
        }),
        ["disconnectSockets"] = Message(ClusterMessageType.DisconnectSockets, w =>
        {
            ClusterJson.WriteOptions(w, Options(["a"], []));
            w.WriteBoolean("close", true);
        }),
        ["fetchSockets"] = Message(ClusterMessageType.FetchSockets, w =>
        {
            ClusterJson.WriteOptions(w, Options(["a"], []));
            w.WriteString("requestId", RequestId);
        }),
        ["fetchSocketsResponse"] = Message(ClusterMessageType.FetchSocketsResponse, w =>
        {
            w.WriteString("requestId", RequestId);
            w.WriteStartArray("sockets");
            var handshake = new RemoteHandshake
            {
                Headers = new Dictionary<string, string> { ["host"] = "localhost" },
                Time = "Sun Dec 06 2026",
                Address = "127.0.0.1",
                Issued = 1700000000123,
                Url = "/socket.io/?EIO=4&transport=websocket",
                Query = new Dictionary<string, string> { ["EIO"] = "4" },
                Auth = JsonDocument.Parse("""{"token":"t"}""").RootElement,
            };
            ClusterJson.WriteSocket(w, "AAAAAAAAAAAAAAAAAAAA", handshake, ["AAAAAAAAAAAAAAAAAAAA", "team"], """{"who":"node"}"""u8);
            w.WriteEndArray();
        }),
        ["serverSideEmit"] = Message(ClusterMessageType.ServerSideEmit, w =>
        {
            w.WritePropertyName("packet");
            w.WriteRawValue("""["ping",1]""");
        }),
        ["serverSideEmitWithAck"] = Message(ClusterMessageType.ServerSideEmit, w =>
        {
            w.WriteString("requestId", RequestId);
            w.WritePropertyName("packet");
            w.WriteRawValue("""["ping",1]""");
        }),
        ["serverSideEmitResponse"] = Message(ClusterMessageType.ServerSideEmitResponse, w =>
        {
            w.WriteString("requestId", RequestId);
            w.WriteString("packet", "pong");
        }),
        ["broadcastClientCount"] = Message(ClusterMessageType.BroadcastClientCount, w =>
        {
            w.WriteString("requestId", RequestId);
            w.WriteNumber("clientCount", 3);
        }),
        ["broadcastAck"] = Message(ClusterMessageType.BroadcastAck, w =>
        {
            w.WriteString("requestId", RequestId);
            w.WriteString("packet", "ok");
        }),
        ["broadcastAckBinary"] = Message(ClusterMessageType.BroadcastAck, w =>
        {
            w.WriteString("requestId", RequestId);
            w.WritePropertyName("packet");
            w.WriteRawValue("""{"_placeholder":true,"num":0}""");
        }, [new byte[] { 9 }]),
        ["adapterClose"] = Message(ClusterMessageType.AdapterClose),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Our_encoding_is_the_bytes_the_sharded_redis_adapter_writes(string name)
    {
        Convert.ToHexString(Ours()[name].Encode()).Should().Be(Convert.ToHexString(Vectors[name]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Node_bytes_decode_to_the_same_message(string name)
    {
        var ours = Ours()[name];
        var decoded = ClusterMessage.TryDecode(Vectors[name]);

        decoded.Should().NotBeNull();
        decoded!.Type.Should().Be(ours.Type);
        decoded.Uid.Should().Be(Uid);
        decoded.Namespace.Should().Be("/");
        decoded.RequestId.Should().Be(ours.RequestId);
        decoded.Attachments.Select(a => a.ToArray()).Should().BeEquivalentTo(ours.Attachments.Select(a => a.ToArray()), o => o.WithStrictOrdering());
        Convert.ToHexString(decoded.Encode()).Should().Be(Convert.ToHexString(Vectors[name]));
    }

    [Fact]
    public void A_broadcast_to_one_room_without_acks_names_that_room_for_dynamic_channels()
    {
        Ours()["broadcast"].SingleBroadcastRoom.Should().Be("room1");
        Ours()["broadcastWithAck"].SingleBroadcastRoom.Should().BeNull();
        Ours()["socketsJoin"].SingleBroadcastRoom.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("{\"uid\":\"x\"}")]
    [InlineData("\u00c1")]
    public void Bytes_that_are_not_a_message_decode_to_null(string raw)
    {
        ClusterMessage.TryDecode(System.Text.Encoding.Latin1.GetBytes(raw)).Should().BeNull();
    }
}
