using System.Buffers;
using SocketIo.Internal.Protocol;
using static SocketIo.Tests.Protocol.PacketTestHelpers;

namespace SocketIo.Tests.Protocol;

public sealed class JsonPacketEncoderTests
{
    private const string OnePlaceholder = "[\"hello\",{\"_placeholder\":true,\"num\":0}]";

    private static string EncodeToText(SocketIoPacket packet) => Text(JsonPacketEncoder.Encode(packet));

    // ---- Exact wire bytes, from the protocol specification ----

    // SocketIoPacket is internal, so theories receive a key and look the packet up.
    private static readonly Dictionary<string, SocketIoPacket> SpecificationExamples = new()
    {
        { "0", Packet(PacketType.Connect) },
        { "0/admin,{\"token\":\"123\"}", Packet(PacketType.Connect, "/admin", data: "{\"token\":\"123\"}") },
        { "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", Packet(PacketType.Connect, "/admin", data: "{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}") },
        { "4{\"message\":\"Not authorized\"}", Packet(PacketType.ConnectError, data: "{\"message\":\"Not authorized\"}") },
        { "2[\"foo\"]", Packet(PacketType.Event, data: "[\"foo\"]") },
        { "2[\"hello\",1]", Packet(PacketType.Event, data: "[\"hello\",1]") },
        { "2/admin,[\"bar\"]", Packet(PacketType.Event, "/admin", data: "[\"bar\"]") },
        { "212[\"foo\"]", Packet(PacketType.Event, id: 12, data: "[\"foo\"]") },
        { "2/admin,456[\"project:delete\",123]", Packet(PacketType.Event, "/admin", 456, "[\"project:delete\",123]") },
        { "3/admin,13[\"bar\"]", Packet(PacketType.Ack, "/admin", 13, "[\"bar\"]") },
        { "3/admin,456[]", Packet(PacketType.Ack, "/admin", 456, "[]") },
        { "51-" + OnePlaceholder, Packet(PacketType.BinaryEvent, data: OnePlaceholder, attachments: [[1, 2, 3, 4]]) },
        {
            "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            Packet(PacketType.BinaryEvent, "/admin", data: "[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", attachments: [[1, 2], [3, 4]])
        },
        { "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", Packet(PacketType.BinaryAck, id: 15, data: "[\"bar\",{\"_placeholder\":true,\"num\":0}]", attachments: [[1, 2, 3, 4]]) },
        { "61-/admin,456[{\"_placeholder\":true,\"num\":0}]", Packet(PacketType.BinaryAck, "/admin", 456, "[{\"_placeholder\":true,\"num\":0}]", [1]) },
        { "1", Packet(PacketType.Disconnect) },
        { "1/admin,", Packet(PacketType.Disconnect, "/admin") },
    };

    public static TheoryData<string> SpecificationWireForms => new(SpecificationExamples.Keys);

    [Theory]
    [MemberData(nameof(SpecificationWireForms))]
    public void Packets_are_written_exactly_as_the_specification_shows(string expected)
    {
        EncodeToText(SpecificationExamples[expected]).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(SpecificationWireForms))]
    public void The_announced_length_is_the_written_length(string expected)
    {
        JsonPacketEncoder.GetEncodedLength(SpecificationExamples[expected]).Should().Be(Utf8(expected).Length);
    }

    [Fact]
    public void The_attachments_themselves_are_not_written()
    {
        var packet = Packet(PacketType.BinaryEvent, data: OnePlaceholder, attachments: [[0xFF, 0xFE]]);

        JsonPacketEncoder.Encode(packet).Should().NotContain(0xFF);
    }

    [Fact]
    public void An_empty_namespace_is_written_like_the_main_namespace()
    {
        EncodeToText(Packet(PacketType.Event, "", data: "[\"a\"]")).Should().Be("2[\"a\"]");
    }

    [Fact]
    public void A_namespace_is_written_as_utf8()
    {
        JsonPacketEncoder.Encode(Packet(PacketType.Event, "/caf\u00e9", data: "[\"a\"]"))
            .Should().Equal(Utf8("2/caf\u00e9,[\"a\"]"));
    }

    [Theory]
    [InlineData(0L, "20[\"a\"]")]
    [InlineData(9L, "29[\"a\"]")]
    [InlineData(10L, "210[\"a\"]")]
    [InlineData(9007199254740991L, "29007199254740991[\"a\"]")]
    public void Ack_ids_are_written_in_decimal(long id, string expected)
    {
        EncodeToText(Packet(PacketType.Event, id: id, data: "[\"a\"]")).Should().Be(expected);
    }

    [Fact]
    public void A_ten_attachment_count_is_written_in_full()
    {
        var attachments = Enumerable.Range(0, 10).Select(i => new[] { (byte)i }).ToArray();

        EncodeToText(Packet(PacketType.BinaryEvent, data: "[\"a\"]", attachments: attachments)).Should().Be("510-[\"a\"]");
    }

    [Fact]
    public void Payload_bytes_are_copied_verbatim()
    {
        var data = "[\"h\u00e9llo\",\"\U0001F600\",\"\\u0000\"]";

        JsonPacketEncoder.Encode(Packet(PacketType.Event, data: data)).Should().Equal(Utf8("2" + data));
    }

    // ---- Binary or not follows the attachments ----

    [Fact]
    public void An_event_with_attachments_is_written_as_a_binary_event()
    {
        EncodeToText(Packet(PacketType.Event, data: OnePlaceholder, attachments: [[1]])).Should().Be("51-" + OnePlaceholder);
    }

    [Fact]
    public void An_ack_with_attachments_is_written_as_a_binary_ack()
    {
        EncodeToText(Packet(PacketType.Ack, id: 3, data: "[{\"_placeholder\":true,\"num\":0}]", attachments: [[1]]))
            .Should().Be("61-3[{\"_placeholder\":true,\"num\":0}]");
    }

    [Fact]
    public void A_binary_event_without_attachments_is_written_as_a_plain_event()
    {
        EncodeToText(Packet(PacketType.BinaryEvent, data: "[\"a\"]")).Should().Be("2[\"a\"]");
        EncodeToText(Packet(PacketType.BinaryAck, id: 1, data: "[]")).Should().Be("31[]");
    }

    [Theory]
    [InlineData((int)PacketType.Connect)]
    [InlineData((int)PacketType.Disconnect)]
    [InlineData((int)PacketType.ConnectError)]
    public void Attachments_on_a_packet_that_cannot_carry_them_are_refused(int type)
    {
        var encode = () => JsonPacketEncoder.Encode(Packet((PacketType)type, attachments: [[1]]));

        encode.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_negative_ack_id_is_refused()
    {
        var encode = () => JsonPacketEncoder.Encode(Packet(PacketType.Event, id: -1, data: "[\"a\"]"));

        encode.Should().Throw<ArgumentException>();
    }

    // ---- Destinations ----

    [Fact]
    public void Writing_to_a_buffer_writer_appends_after_what_is_already_there()
    {
        // The engine layer writes its "4" message prefix first, then the packet.
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("4"u8);

        var written = JsonPacketEncoder.Encode(Packet(PacketType.Event, data: "[\"foo\"]"), writer);

        written.Should().Be(8);
        Text(writer.WrittenMemory).Should().Be("42[\"foo\"]");
    }

    [Fact]
    public void Several_packets_can_be_written_to_one_buffer_writer()
    {
        var writer = new ArrayBufferWriter<byte>(initialCapacity: 1);

        JsonPacketEncoder.Encode(Packet(PacketType.Connect, "/admin", data: "{\"sid\":\"x\"}"), writer);
        JsonPacketEncoder.Encode(Packet(PacketType.Ack, "/admin", 1, "[]"), writer);

        Text(writer.WrittenMemory).Should().Be("0/admin,{\"sid\":\"x\"}3/admin,1[]");
    }

    [Fact]
    public void Writing_to_a_span_returns_the_length_written()
    {
        var buffer = new byte[64];

        var written = JsonPacketEncoder.Encode(Packet(PacketType.Ack, "/admin", 456, "[]"), buffer.AsSpan());

        Text(buffer.AsMemory(0, written)).Should().Be("3/admin,456[]");
    }

    [Fact]
    public void Writing_to_a_span_that_is_too_small_is_refused()
    {
        var buffer = new byte[12];

        var encode = () => JsonPacketEncoder.Encode(Packet(PacketType.Ack, "/admin", 456, "[]"), buffer.AsSpan());

        encode.Should().Throw<ArgumentException>();
    }

    // ---- Round trips through the decoder ----

    private static readonly Dictionary<string, SocketIoPacket> RoundTripPackets = CreateRoundTripPackets();

    public static TheoryData<string> RoundTripCases => new(RoundTripPackets.Keys);

    private static Dictionary<string, SocketIoPacket> CreateRoundTripPackets()
    {
        var data = new Dictionary<string, SocketIoPacket>();
        void Add(SocketIoPacket packet) =>
            data.Add($"{packet.Type} {packet.Namespace} id={packet.Id?.ToString() ?? "none"} {Text(packet.Data)} +{packet.Attachments.Count}", packet);

        foreach (var @namespace in new[] { "/", "/admin", "/caf\u00e9/\u65e5\u672c" })
        {
            Add(Packet(PacketType.Connect, @namespace));
            Add(Packet(PacketType.Connect, @namespace, data: "{\"token\":\"123\"}"));
            Add(Packet(PacketType.Disconnect, @namespace));
            Add(Packet(PacketType.ConnectError, @namespace, data: "{\"message\":\"Not authorized\",\"data\":{\"a\":1}}"));
            Add(Packet(PacketType.ConnectError, @namespace, data: "\"Unauthorized\""));
            foreach (var id in new long?[] { null, 0, 1, 456, 9007199254740991 })
            {
                Add(Packet(PacketType.Event, @namespace, id, "[\"a\",1,{}]"));
                Add(Packet(PacketType.Event, @namespace, id, "[1,\"a\",{}]"));
                Add(Packet(
                    PacketType.BinaryEvent,
                    @namespace,
                    id,
                    "[\"a\",{\"b\":[\"c\",{\"_placeholder\":true,\"num\":0}]},{\"_placeholder\":true,\"num\":1}]",
                    [1, 2, 3],
                    []));
                if (id is not null)
                {
                    Add(Packet(PacketType.Ack, @namespace, id, "[]"));
                    Add(Packet(PacketType.Ack, @namespace, id, "[\"a\",1,{}]"));
                    Add(Packet(PacketType.BinaryAck, @namespace, id, "[\"a\",{\"_placeholder\":true,\"num\":0},{}]", [0xFF]));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Encoded_packets_decode_back_to_the_same_packet(string @case)
    {
        var packet = RoundTripPackets[@case];
        var session = new ParserSession();

        session.AddText(EncodeToText(packet));
        foreach (var attachment in packet.Attachments)
        {
            session.AddBinary(attachment.ToArray());
        }

        session.Error.Should().BeNull();
        session.Decoded.Should().ContainSingle().Which.ShouldEqual(packet);
    }
}
