using System.Text;
using SocketIo.Internal.Protocol;
using static SocketIo.Tests.Protocol.PacketTestHelpers;

namespace SocketIo.Tests.Protocol;

/// <summary>
/// The test vectors of the reference socket.io-parser (test/parser.js, buffer.js, arraybuffer.js),
/// run through encoder, decoder and assembler together the way a connection drives them. The JSON
/// the reference would produce with JSON.stringify is written out by hand. Vectors about JavaScript
/// specifics (custom revivers, circular objects, non-string input, not mutating the input packet)
/// have no counterpart here.
/// </summary>
public sealed class ReferenceParserVectorTests
{
    private const string Zero = "{\"_placeholder\":true,\"num\":0}";

    /// <summary>Encodes the packet, checks the text against the reference's, and decodes it back.</summary>
    private static void AssertRoundTrip(SocketIoPacket packet, string expectedWire)
    {
        Text(JsonPacketEncoder.Encode(packet)).Should().Be(expectedWire);

        var session = new ParserSession();
        session.AddText(expectedWire);
        foreach (var attachment in packet.Attachments)
        {
            session.AddBinary(attachment.ToArray());
        }

        session.Error.Should().BeNull();
        session.Decoded.Should().ContainSingle().Which.ShouldEqual(packet);
    }

    // ---- parser.js ----

    [Fact]
    public void Encodes_a_connection() =>
        AssertRoundTrip(Packet(PacketType.Connect, "/woot", data: "{\"token\":\"123\"}"), "0/woot,{\"token\":\"123\"}");

    [Fact]
    public void Encodes_a_disconnection() =>
        AssertRoundTrip(Packet(PacketType.Disconnect, "/woot"), "1/woot,");

    [Fact]
    public void Encodes_an_event() =>
        AssertRoundTrip(Packet(PacketType.Event, data: "[\"a\",1,{}]"), "2[\"a\",1,{}]");

    [Fact]
    public void Encodes_an_event_with_an_integer_as_event_name() =>
        AssertRoundTrip(Packet(PacketType.Event, data: "[1,\"a\",{}]"), "2[1,\"a\",{}]");

    [Fact]
    public void Encodes_an_event_with_ack() =>
        AssertRoundTrip(Packet(PacketType.Event, "/test", 1, "[\"a\",1,{}]"), "2/test,1[\"a\",1,{}]");

    [Fact]
    public void Encodes_an_ack() =>
        AssertRoundTrip(Packet(PacketType.Ack, id: 123, data: "[\"a\",1,{}]"), "3123[\"a\",1,{}]");

    [Fact]
    public void Encodes_a_connect_error() =>
        AssertRoundTrip(Packet(PacketType.ConnectError, data: "\"Unauthorized\""), "4\"Unauthorized\"");

    [Fact]
    public void Encodes_a_connect_error_with_an_object() =>
        AssertRoundTrip(Packet(PacketType.ConnectError, data: "{\"message\":\"Unauthorized\"}"), "4{\"message\":\"Unauthorized\"}");

    [Fact]
    public void Decodes_a_bad_binary_packet_as_illegal() =>
        Decode("5").ShouldBeInvalid(PacketDecodeErrors.IllegalAttachmentCount);

    [Fact]
    public void Refuses_too_many_attachments() =>
        Decode(
                "53-[\"hello\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]",
                new DecoderLimits { MaxAttachments = 2 })
            .ShouldBeInvalid(PacketDecodeErrors.TooManyAttachments);

    [Theory]
    [InlineData("442[\"some\",\"data\"")]
    [InlineData("0/admin,\"invalid\"")]
    [InlineData("0[]")]
    [InlineData("1/admin,{}")]
    [InlineData("2/admin,\"invalid")]
    [InlineData("2/admin,{}")]
    [InlineData("2[{\"toString\":\"foo\"}]")]
    [InlineData("2[true,\"foo\"]")]
    [InlineData("2[null,\"bar\"]")]
    [InlineData("2[\"connect\"]")]
    [InlineData("2[\"disconnect\",\"123\"]")]
    public void Refuses_invalid_payloads(string message) =>
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);

    [Theory]
    [InlineData("5")]
    [InlineData("51")]
    [InlineData("5a-")]
    [InlineData("51.23-")]
    public void Refuses_invalid_attachment_counts(string message) =>
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.IllegalAttachmentCount);

    [Fact]
    public void Refuses_an_unknown_packet_type() =>
        Decode("999").ShouldBeInvalid(PacketDecodeErrors.UnknownType);

    [Fact]
    public void Resumes_decoding_once_a_pending_binary_packet_is_dropped()
    {
        // The reference's destroy() has no counterpart: the decoder is stateless and the
        // connection simply drops its assembler.
        Decode("51-[\"hello\"]").ShouldAwait(1);

        Decode("2[\"hello\"]").ShouldBeComplete().ShouldEqual(Packet(PacketType.Event, data: "[\"hello\"]"));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("0/admin,\"invalid\"", false)]
    [InlineData("0[]", false)]
    [InlineData("1/admin,{}", false)]
    [InlineData("2/admin,\"invalid\"", false)]
    [InlineData("2/admin,{}", false)]
    [InlineData("2{\"toString\":\"foo\"}", false)]
    [InlineData("2[true,\"foo\"]", false)]
    [InlineData("2[null,\"bar\"]", false)]
    [InlineData("2[\"connect\"]", false)]
    [InlineData("2[\"disconnect\",\"123\"]", false)]
    public void Applies_the_is_packet_valid_rules(string message, bool valid) =>
        Decode(message).Status.Should().Be(valid ? PacketDecodeStatus.Complete : PacketDecodeStatus.Invalid);

    // ---- buffer.js ----

    [Fact]
    public void Encodes_a_buffer() =>
        AssertRoundTrip(
            Packet(PacketType.BinaryEvent, "/cool", 23, $"[\"a\",{Zero}]", Utf8("abc")),
            $"51-/cool,23[\"a\",{Zero}]");

    [Fact]
    public void Encodes_a_nested_buffer() =>
        AssertRoundTrip(
            Packet(PacketType.BinaryEvent, "/cool", 23, $"[\"a\",{{\"b\":[\"c\",{Zero}]}}]", Utf8("abc")),
            $"51-/cool,23[\"a\",{{\"b\":[\"c\",{Zero}]}}]");

    [Fact]
    public void Encodes_a_binary_ack_with_a_buffer() =>
        AssertRoundTrip(
            Packet(PacketType.BinaryAck, "/back", 127, $"[\"a\",{Zero},{{}}]", Utf8("xxx")),
            $"61-/back,127[\"a\",{Zero},{{}}]");

    [Theory]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":\"splice\"}]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":1}]")]
    public void Refuses_an_attachment_with_an_invalid_num(string header)
    {
        var session = new ParserSession();

        session.AddText(header);
        session.AddBinary(Utf8("world"));

        session.Error.Should().Be(PacketDecodeErrors.IllegalPlaceholder);
        session.Decoded.Should().BeEmpty();
    }

    [Fact]
    public void Refuses_an_attachment_without_a_header()
    {
        // The check belongs to the connection; this shows the contract it follows.
        var session = new ParserSession();

        session.AddBinary(Utf8("world"));

        session.Error.Should().Be(PacketDecodeErrors.UnexpectedAttachment);
    }

    [Fact]
    public void Refuses_text_while_attachments_are_expected()
    {
        var session = new ParserSession();

        session.AddText($"51-[\"hello\",{Zero}]");
        session.AddText("2[\"hello\"]");

        session.Error.Should().Be(PacketDecodeErrors.UnexpectedText);
    }

    // ---- arraybuffer.js ----

    [Fact]
    public void Encodes_an_array_buffer() =>
        AssertRoundTrip(Packet(PacketType.BinaryEvent, "/", 0, $"[\"a\",{Zero}]", new byte[2]), $"51-0[\"a\",{Zero}]");

    [Fact]
    public void Encodes_an_array_buffer_inside_an_object() =>
        AssertRoundTrip(
            Packet(PacketType.BinaryEvent, "/", 0, $"[\"a\",{{\"array\":{Zero}}}]", new byte[2]),
            $"51-0[\"a\",{{\"array\":{Zero}}}]");

    [Fact]
    public void Encodes_a_typed_array() =>
        AssertRoundTrip(Packet(PacketType.BinaryEvent, "/", 0, $"[\"a\",{Zero}]", [0, 1, 2, 3, 4]), $"51-0[\"a\",{Zero}]");

    [Fact]
    public void Encodes_array_buffers_deep_in_json()
    {
        const string json = "[\"a\",{\"a\":\"hi\",\"b\":{\"why\":{\"_placeholder\":true,\"num\":0}},"
            + "\"c\":{\"a\":\"bye\",\"b\":{\"a\":{\"_placeholder\":true,\"num\":1}}}}]";

        AssertRoundTrip(Packet(PacketType.BinaryEvent, "/deep", 999, json, new byte[3], new byte[6]), "52-/deep,999" + json);
    }

    [Fact]
    public void Encodes_deep_binary_json_with_null_values()
    {
        var json = $"[\"a\",{{\"a\":\"b\",\"c\":4,\"e\":{{\"g\":null}},\"h\":{Zero}}}]";

        AssertRoundTrip(Packet(PacketType.BinaryEvent, "/", 600, json, new byte[9]), "51-600" + json);
    }

    // ---- socket.io-protocol test suite (Socket.IO part of the message, after the Engine.IO "4") ----

    [Theory]
    [InlineData("abc", PacketDecodeErrors.UnknownType)]
    [InlineData("2{}", PacketDecodeErrors.InvalidPayload)]
    [InlineData("2abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]", PacketDecodeErrors.InvalidPayload)]
    public void Refuses_the_protocol_suites_invalid_packets(string message, string reason) =>
        Decode(message).ShouldBeInvalid(reason);

    [Fact]
    public void Accepts_the_protocol_suites_binary_event_with_two_attachments()
    {
        var session = new ParserSession();

        session.AddText("52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        session.AddBinary([1, 2, 3]);
        session.AddBinary(Encoding.UTF8.GetBytes("4"));

        session.Error.Should().BeNull();
        session.Decoded.Should().ContainSingle().Which.Attachments.Should().HaveCount(2);
    }
}
