using System.Text;
using System.Text.Json;
using SocketIo.Adapters;
using SocketIo.Redis.Internal;

namespace SocketIo.Redis.Tests;

/// <summary>
/// Golden bytes: the expected messages were written by notepack.io 3.0.1 (the msgpack of @socket.io/redis-adapter
/// 8.3.0 and @socket.io/redis-emitter 5.1.0) from the same values, with the uid and request id fixed.
/// </summary>
public sealed class ClassicWireTests
{
    private const string Broadcast = "93a641424344454683a47479706502a46461746195a2657601a374776f81a16192c3c0c403010203a36e7370a12f83a5726f6f6d7391a5726f6f6d31a665786365707491a178a5666c61677381a8766f6c6174696c65c3";
    private const string BroadcastPlain = "93a641424344454683a47479706502a46461746195a26576fbcb3ff8000000000000cd012cce00011170a36e7370a12f83a5726f6f6d7390a665786365707490a5666c61677380";
    private const string BroadcastRequest = "85a3756964a6414243444546a9726571756573744964a6524551313233a47479706507a67061636b657483a47479706502a46461746191a171a36e7370a12fa46f70747383a5726f6f6d7390a665786365707490a5666c61677381a774696d656f7574cd03e8";
    private const string BroadcastAck = "83a47479706509a9726571756573744964a6524551313233a67061636b6574c40109";
    private const string BroadcastAckObject = "83a47479706509a9726571756573744964a6524551313233a67061636b657481a26f6b01";
    private const string EmitterBroadcast = "93a7656d697474657283a47479706502a46461746192a26576a178a36e7370a12f83a5726f6f6d7390a5666c61677380a665786365707490";
    private const string IntegerRoom = "93a641424344454683a47479706502a46461746191a26576a36e7370a12f83a5726f6f6d73912aa665786365707490a5666c61677380";
    private const string DateArgument = "93a641424344454683a47479706502a46461746192a26576d7ffa1a5d60065937d25a36e7370a12f83a5726f6f6d7390a665786365707490a5666c61677380";

    private static readonly byte[] Placeholder0 = Encoding.UTF8.GetBytes("{\"_placeholder\":true,\"num\":0}");

    [Fact]
    public void A_broadcast_with_rooms_exclusions_flags_and_binary_is_encoded_as_notepack_does()
    {
        var packet = new AdapterPacket("/", Json("[\"ev\",1,\"two\",{\"a\":[true,null]},{\"_placeholder\":true,\"num\":0}]"), [new byte[] { 1, 2, 3 }]);
        var options = BroadcastOptions.Everyone with { Rooms = ["room1"], Except = ["x"], Volatile = true };

        Convert.ToHexStringLower(ClassicWire.EncodeBroadcast("ABCDEF", packet, options)).Should().Be(Broadcast);
    }

    [Fact]
    public void Numbers_are_encoded_in_notepack_sizes()
    {
        var packet = new AdapterPacket("/", Json("[\"ev\",-5,1.5,300,70000]"), []);

        Convert.ToHexStringLower(ClassicWire.EncodeBroadcast("ABCDEF", packet, BroadcastOptions.Everyone)).Should().Be(BroadcastPlain);
    }

    [Fact]
    public void A_broadcast_request_and_its_ack_response_are_encoded_as_notepack_does()
    {
        var packet = new AdapterPacket("/", Json("[\"q\"]"), []);
        var options = BroadcastOptions.Everyone with { Timeout = TimeSpan.FromSeconds(1) };
        Convert.ToHexStringLower(ClassicWire.EncodeBroadcastRequest("ABCDEF", "REQ123", packet, options)).Should().Be(BroadcastRequest);

        var serializer = new SocketIo.Internal.Serialization.PayloadSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var binaryAnswer = SocketIoArguments.Parse(Encoding.UTF8.GetBytes("[{\"_placeholder\":true,\"num\":0}]"), 0, [new byte[] { 9 }], serializer);
        Convert.ToHexStringLower(ClassicWire.EncodeBroadcastAck("REQ123", binaryAnswer)).Should().Be(BroadcastAck);
        var objectAnswer = SocketIoArguments.Parse(Encoding.UTF8.GetBytes("[{\"ok\":1}]"), 0, [], serializer);
        Convert.ToHexStringLower(ClassicWire.EncodeBroadcastAck("REQ123", objectAnswer)).Should().Be(BroadcastAckObject);
    }

    [Fact]
    public void A_broadcast_is_decoded_with_binary_as_an_attachment()
    {
        ClassicWire.TryDecodeBroadcast(Convert.FromHexString(Broadcast), out var uid, out var packet, out var options).Should().BeTrue();

        uid.Should().Be("ABCDEF");
        packet!.Namespace.Should().Be("/");
        Encoding.UTF8.GetString(packet.Data.Span).Should().Be("[\"ev\",1,\"two\",{\"a\":[true,null]},{\"_placeholder\":true,\"num\":0}]");
        packet.Attachments.Should().ContainSingle().Which.ToArray().Should().Equal(1, 2, 3);
        options!.Rooms.Should().BeEquivalentTo(["room1"]);
        options.Except.Should().BeEquivalentTo(["x"]);
        options.Volatile.Should().BeTrue();
    }

    [Fact]
    public void What_the_emitter_publishes_integer_rooms_and_dates_are_decoded()
    {
        ClassicWire.TryDecodeBroadcast(Convert.FromHexString(EmitterBroadcast), out var uid, out var packet, out _).Should().BeTrue();
        uid.Should().Be("emitter");
        Encoding.UTF8.GetString(packet!.Data.Span).Should().Be("[\"ev\",\"x\"]");

        ClassicWire.TryDecodeBroadcast(Convert.FromHexString(IntegerRoom), out _, out _, out var options).Should().BeTrue();
        options!.Rooms.Should().BeEquivalentTo(["42"]);

        ClassicWire.TryDecodeBroadcast(Convert.FromHexString(DateArgument), out _, out var dated, out _).Should().BeTrue();
        Encoding.UTF8.GetString(dated!.Data.Span).Should().Be("[\"ev\",\"2024-01-02T03:04:05.678Z\"]");
    }

    [Fact]
    public void A_broadcast_request_and_ack_responses_are_decoded()
    {
        var request = ClassicWire.TryDecodeMessage(Convert.FromHexString(BroadcastRequest))!;
        request.Type.Should().Be(RequestType.Broadcast);
        request.Uid.Should().Be("ABCDEF");
        request.RequestId.Should().Be("REQ123");
        Encoding.UTF8.GetString(request.Packet!.Data.Span).Should().Be("[\"q\"]");
        request.Options!.Timeout.Should().Be(TimeSpan.FromSeconds(1));

        var ack = ClassicWire.TryDecodeMessage(Convert.FromHexString(BroadcastAck))!;
        ack.Type.Should().Be(RequestType.BroadcastAck);
        Encoding.UTF8.GetString(ack.AckJson!).Should().Be("[{\"_placeholder\":true,\"num\":0}]");
        ack.AckAttachments!.Single().ToArray().Should().Equal(9);

        var objectAck = ClassicWire.TryDecodeMessage(Convert.FromHexString(BroadcastAckObject))!;
        Encoding.UTF8.GetString(objectAck.AckJson!).Should().Be("[{\"ok\":1}]");
    }

    [Theory]
    // What @socket.io/redis-emitter 5.1.0 publishes (no uid), what the adapter publishes, and the legacy forms.
    [InlineData("{\"type\":2,\"opts\":{\"rooms\":[\"a\"],\"except\":[]},\"rooms\":[\"b\",3]}", 2, null)]
    [InlineData("{\"uid\":\"ABCDEF\",\"type\":3,\"opts\":{\"rooms\":[\"a\"],\"except\":[\"c\"]},\"rooms\":[\"b\"]}", 3, "ABCDEF")]
    [InlineData("{\"type\":4,\"opts\":{\"rooms\":[],\"except\":[]},\"close\":true}", 4, null)]
    [InlineData("{\"uid\":\"emitter\",\"type\":6,\"data\":[\"hello\",1]}", 6, "emitter")]
    [InlineData("{\"uid\":\"ABCDEF\",\"requestId\":\"REQ123\",\"type\":5,\"opts\":{\"rooms\":[],\"except\":[]}}", 5, "ABCDEF")]
    public void JSON_requests_are_decoded(string json, int typeNumber, string? uid)
    {
        var type = (RequestType)typeNumber;
        var request = ClassicWire.TryDecodeMessage(Encoding.UTF8.GetBytes(json))!;

        request.Type.Should().Be(type);
        request.Uid.Should().Be(uid);
        if (type == RequestType.RemoteJoin) request.Rooms.Should().Equal("b", "3");
        if (type == RequestType.RemoteDisconnect) request.Close.Should().BeTrue();
        if (type == RequestType.ServerSideEmit) request.Data.GetRawText().Should().Be("[\"hello\",1]");
        if (type != RequestType.ServerSideEmit) request.Options.Should().NotBeNull();
    }

    [Fact]
    public void The_legacy_single_socket_join_is_decoded()
    {
        var request = ClassicWire.TryDecodeMessage("{\"requestId\":\"R\",\"type\":2,\"sid\":\"abc\",\"room\":\"r\"}"u8.ToArray())!;

        request.Options.Should().BeNull();
        request.SocketId.Should().Be("abc");
        request.Room.Should().Be("r");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("c1")]
    [InlineData("93")]
    public void Malformed_messages_are_refused_without_throwing(string hex)
    {
        var bytes = hex.StartsWith('{') ? Encoding.UTF8.GetBytes(hex) : Convert.FromHexString(hex);
        ClassicWire.TryDecodeMessage(bytes).Should().BeNull();
        ClassicWire.TryDecodeBroadcast(bytes, out _, out _, out _).Should().BeFalse();
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}
