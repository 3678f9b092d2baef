using SocketIo.Internal.Protocol;
using static SocketIo.Tests.Protocol.PacketTestHelpers;

namespace SocketIo.Tests.Protocol;

public sealed class JsonPacketDecoderTests
{
    // ---- Examples from the protocol specification and its test suite ----

    [Fact]
    public void A_bare_connect_is_a_connect_to_the_main_namespace()
    {
        var packet = Decode("0").ShouldBeComplete();

        packet.ShouldEqual(Packet(PacketType.Connect));
        packet.HasData.Should().BeFalse();
        packet.Namespace.Should().BeSameAs("/", "the main namespace is not allocated per packet");
    }

    [Theory]
    [InlineData("0/admin,{\"token\":\"123\"}", "/admin", "{\"token\":\"123\"}")]
    [InlineData("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", "/admin", "{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}")]
    [InlineData("0{\"token\":\"123\"}", "/", "{\"token\":\"123\"}")]
    [InlineData("0/custom,", "/custom", null)]
    [InlineData("0/custom", "/custom", null)]
    public void A_connect_carries_its_namespace_and_optional_auth_object(string message, string @namespace, string? data)
    {
        Decode(message).ShouldBeComplete().ShouldEqual(Packet(PacketType.Connect, @namespace, data: data));
    }

    [Theory]
    [InlineData("1", "/")]
    [InlineData("1/admin,", "/admin")]
    [InlineData("1/admin", "/admin")]
    public void A_disconnect_carries_only_its_namespace(string message, string @namespace)
    {
        Decode(message).ShouldBeComplete().ShouldEqual(Packet(PacketType.Disconnect, @namespace));
    }

    [Theory]
    [InlineData("4{\"message\":\"Not authorized\"}", "/", "{\"message\":\"Not authorized\"}")]
    [InlineData("4/random,{\"message\":\"Invalid namespace\"}", "/random", "{\"message\":\"Invalid namespace\"}")]
    [InlineData("4\"Unauthorized\"", "/", "\"Unauthorized\"")]
    public void A_connect_error_carries_an_object_or_a_string(string message, string @namespace, string data)
    {
        Decode(message).ShouldBeComplete().ShouldEqual(Packet(PacketType.ConnectError, @namespace, data: data));
    }

    [Theory]
    [InlineData("2[\"foo\"]", "/", null, "[\"foo\"]")]
    [InlineData("2[\"hello\",1]", "/", null, "[\"hello\",1]")]
    [InlineData("2/admin,[\"bar\"]", "/admin", null, "[\"bar\"]")]
    [InlineData("212[\"foo\"]", "/", 12L, "[\"foo\"]")]
    [InlineData("2/admin,456[\"project:delete\",123]", "/admin", 456L, "[\"project:delete\",123]")]
    [InlineData("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]", "/", 456L, "[\"message-with-ack\",1,\"2\",{\"3\":[false]}]")]
    [InlineData("2[\"message\",1,\"2\",{\"3\":[true]}]", "/", null, "[\"message\",1,\"2\",{\"3\":[true]}]")]
    public void An_event_carries_namespace_optional_id_and_arguments(string message, string @namespace, long? id, string data)
    {
        Decode(message).ShouldBeComplete().ShouldEqual(Packet(PacketType.Event, @namespace, id, data));
    }

    [Theory]
    [InlineData("3/admin,13[\"bar\"]", "/admin", 13L, "[\"bar\"]")]
    [InlineData("3/admin,456[]", "/admin", 456L, "[]")]
    [InlineData("3456[1,\"2\",{\"3\":[false]}]", "/", 456L, "[1,\"2\",{\"3\":[false]}]")]
    public void An_ack_carries_namespace_id_and_response(string message, string @namespace, long id, string data)
    {
        Decode(message).ShouldBeComplete().ShouldEqual(Packet(PacketType.Ack, @namespace, id, data));
    }

    [Theory]
    [InlineData("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", 5, 1, "/", null, "[\"baz\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", 5, 1, "/", null, "[\"hello\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", 5, 2, "/admin", null, "[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("52-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", 5, 2, "/", 789L, "[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", 6, 1, "/", 15L, "[\"bar\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("61-/admin,456[{\"_placeholder\":true,\"num\":0}]", 6, 1, "/admin", 456L, "[{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("510-[\"ten\"]", 5, 10, "/", null, "[\"ten\"]")]
    public void A_binary_header_waits_for_its_attachments(string message, int type, int attachments, string @namespace, long? id, string data)
    {
        var header = Decode(message).ShouldAwait(attachments);

        header.ShouldEqual(Packet((PacketType)type, @namespace, id, data));
    }

    // ---- Namespace ----

    [Fact]
    public void A_namespace_may_hold_any_text_up_to_the_comma()
    {
        Decode("2/caf\u00e9 \u65e5\u672c/x,[\"a\"]").ShouldBeComplete().Namespace.Should().Be("/caf\u00e9 \u65e5\u672c/x");
    }

    [Fact]
    public void A_lone_slash_followed_by_a_comma_is_the_main_namespace()
    {
        Decode("2/,[\"x\"]").ShouldBeComplete().Namespace.Should().Be("/");
    }

    [Fact]
    public void Without_a_comma_the_namespace_runs_to_the_end_of_the_message()
    {
        // As in the reference, the payload is then part of the namespace, and the event has no payload.
        Decode("0/admin[\"x\"]").ShouldBeComplete().Namespace.Should().Be("/admin[\"x\"]");
        Decode("2/admin[\"x\"]").ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Fact]
    public void A_namespace_ends_at_the_first_comma()
    {
        Decode("2/a,b,[\"x\"]").ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Theory]
    [InlineData("2admin,[\"x\"]")]
    [InlineData("2,[\"x\"]")]
    public void A_namespace_must_start_with_a_slash(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    // ---- Ack id ----

    [Theory]
    [InlineData("20[\"a\"]", 0L)]
    [InlineData("2007[\"a\"]", 7L)]
    [InlineData("29007199254740991[\"a\"]", 9007199254740991L)]
    [InlineData("2/admin,000000000000000000000001[\"a\"]", 1L)]
    public void An_ack_id_is_a_run_of_digits(string message, long id)
    {
        Decode(message).ShouldBeComplete().Id.Should().Be(id);
    }

    [Theory]
    [InlineData("29007199254740992[\"a\"]")]
    [InlineData("299999999999999999999[\"a\"]")]
    [InlineData("3/admin,9223372036854775808[]")]
    [InlineData("61-99999999999999999999999999999999999999[{\"_placeholder\":true,\"num\":0}]")]
    public void An_ack_id_beyond_javascripts_safe_integers_is_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidAckId);
    }

    [Theory]
    [InlineData("3[]")]
    [InlineData("3/admin,[\"a\"]")]
    public void An_ack_without_an_id_is_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.MissingAckId);
    }

    [Fact]
    public void A_binary_ack_without_an_id_is_refused()
    {
        Decode("61-[{\"_placeholder\":true,\"num\":0}]").ShouldBeInvalid(PacketDecodeErrors.MissingAckId);
    }

    [Fact]
    public void An_ack_with_an_id_but_no_payload_is_refused()
    {
        Decode("3123").ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Theory]
    [InlineData("0123", (int)PacketType.Connect)]
    [InlineData("1/admin,5", (int)PacketType.Disconnect)]
    [InlineData("45{\"message\":\"x\"}", (int)PacketType.ConnectError)]
    public void Ids_on_other_packet_types_are_kept_as_the_reference_does(string message, int type)
    {
        var packet = Decode(message).ShouldBeComplete();

        packet.Type.Should().Be((PacketType)type);
        packet.Id.Should().NotBeNull();
    }

    [Fact]
    public void Whitespace_before_the_payload_is_not_read_as_an_id()
    {
        // The reference's Number(" ") coercion would make this id 0; we only take ASCII digits.
        var packet = Decode("2 [\"a\"]").ShouldBeComplete();

        packet.Id.Should().BeNull();
        Text(packet.Data).Should().Be(" [\"a\"]");
    }

    // ---- Packet type and attachment count ----

    [Fact]
    public void An_empty_message_is_refused()
    {
        // The reference reads Number("") as 0, i.e. a CONNECT; nothing sends that on purpose.
        Decode("").ShouldBeInvalid(PacketDecodeErrors.Empty);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("999")]
    [InlineData("7[\"a\"]")]
    [InlineData("abc")]
    [InlineData(" ")]
    [InlineData(" 2[\"a\"]")]
    [InlineData("/admin,[\"a\"]")]
    [InlineData("-1")]
    [InlineData("[\"a\"]")]
    public void An_unknown_packet_type_is_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.UnknownType);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("6")]
    [InlineData("51")]
    [InlineData("5a-")]
    [InlineData("51.23-")]
    [InlineData("5-[\"a\"]")]
    [InlineData("5[\"a-b\"]")]
    [InlineData("5 1-[\"a\"]")]
    [InlineData("51e0-[\"a\"]")]
    [InlineData("50x1-[\"a\"]")]
    [InlineData("5+1-[\"a\"]")]
    [InlineData("5/admin,1-[\"a\"]")]
    public void An_attachment_count_must_be_digits_followed_by_a_dash(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.IllegalAttachmentCount);
    }

    [Theory]
    [InlineData("50-[\"a\"]")]
    [InlineData("500-[\"a\"]")]
    [InlineData("60-1[]")]
    public void An_attachment_count_of_zero_is_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.IllegalAttachmentCount);
    }

    [Theory]
    [InlineData("511-[\"a\"]")]
    [InlineData("5100-[\"a\"]")]
    [InlineData("52147483648-[\"a\"]")]
    [InlineData("5999999999999999999999999999999999-[\"a\"]")]
    [InlineData("611-1[]")]
    public void More_attachments_than_the_limit_are_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.TooManyAttachments);
    }

    [Fact]
    public void The_attachment_limit_is_configurable()
    {
        var limits = new DecoderLimits { MaxAttachments = 2 };

        Decode("53-[\"hello\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]", limits)
            .ShouldBeInvalid(PacketDecodeErrors.TooManyAttachments);
        Decode("52-[\"hello\"]", limits).ShouldAwait(2);
        Decode("51-[\"hello\"]", new DecoderLimits { MaxAttachments = 0 }).ShouldBeInvalid(PacketDecodeErrors.TooManyAttachments);
    }

    [Fact]
    public void Leading_zeros_in_the_attachment_count_are_allowed()
    {
        Decode("501-[\"a\"]").ShouldAwait(1);
    }

    // ---- Payload ----

    [Theory]
    [InlineData("2{}")]
    [InlineData("2abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]")]
    [InlineData("2[{\"toString\":\"foo\"}]")]
    [InlineData("2[true,\"foo\"]")]
    [InlineData("2[null,\"bar\"]")]
    [InlineData("2[]")]
    [InlineData("2\"event\"")]
    [InlineData("2")]
    [InlineData("2/admin,")]
    [InlineData("21")]
    [InlineData("51-{\"_placeholder\":true,\"num\":0}")]
    [InlineData("51-")]
    public void An_event_needs_an_array_starting_with_its_name(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void An_event_with_a_reserved_name_is_refused(string name)
    {
        Decode($"2[\"{name}\"]").ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
        Decode($"2/admin,1[\"{name}\",1]").ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
        Decode($"51-[\"{name}\",{{\"_placeholder\":true,\"num\":0}}]").ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Fact]
    public void An_event_named_error_is_accepted_as_the_reference_accepts_it()
    {
        Decode("2[\"error\",\"boom\"]").ShouldBeComplete().ShouldEqual(Packet(PacketType.Event, data: "[\"error\",\"boom\"]"));
    }

    [Fact]
    public void An_event_named_by_a_number_is_accepted_as_the_reference_accepts_it()
    {
        Decode("2[1,\"a\",{}]").ShouldBeComplete().ShouldEqual(Packet(PacketType.Event, data: "[1,\"a\",{}]"));
    }

    [Theory]
    [InlineData("0/admin,\"invalid\"")]
    [InlineData("0[]")]
    [InlineData("0null")]
    [InlineData("1/admin,{}")]
    [InlineData("1[]")]
    [InlineData("4")]
    [InlineData("4[]")]
    [InlineData("442[\"some\",\"data\"")]
    [InlineData("2/admin,\"invalid")]
    [InlineData("2/admin,{}")]
    [InlineData("3/admin,1{}")]
    public void A_payload_of_the_wrong_shape_for_its_type_is_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Theory]
    [InlineData("2[\"a\",]")]
    [InlineData("2[\"a\"")]
    [InlineData("2[\"a\"]]")]
    [InlineData("2[\"a\"] [\"b\"]")]
    [InlineData("2['a']")]
    [InlineData("2[\"a\",undefined]")]
    [InlineData("0{\"a\":1,}")]
    [InlineData("0{a:1}")]
    [InlineData("2 ")]
    public void Malformed_json_is_refused(string message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
    }

    [Fact]
    public void Json_nested_deeper_than_the_limit_is_refused()
    {
        var atLimit = "2[\"deep\"," + new string('[', 31) + new string(']', 31) + "]";
        var beyondLimit = "2[\"deep\"," + new string('[', 32) + new string(']', 32) + "]";
        var hostile = "2[\"deep\"," + new string('[', 1_000_000);

        Decode(atLimit).ShouldBeComplete();
        Decode(beyondLimit).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
        Decode(hostile).ShouldBeInvalid(PacketDecodeErrors.InvalidPayload);
        Decode(beyondLimit, new DecoderLimits { MaxDepth = 33 }).ShouldBeComplete();
    }

    [Fact]
    public void Placeholders_are_not_checked_until_the_attachments_arrive()
    {
        // As in the reference, a bad placeholder is caught when the packet is reconstructed
        // (see BinaryPacketAssemblerTests), not in the header.
        Decode("51-[\"x\",{\"_placeholder\":true,\"num\":\"splice\"}]").ShouldAwait(1);
    }

    [Fact]
    public void Placeholder_shaped_objects_in_a_text_event_are_left_as_they_are()
    {
        // Only binary packets get their placeholders replaced; consumers must not resolve
        // placeholders in a packet without attachments.
        var packet = Decode("2[\"x\",{\"_placeholder\":true,\"num\":0}]").ShouldBeComplete();

        packet.Attachments.Should().BeEmpty();
        Text(packet.Data).Should().Be("[\"x\",{\"_placeholder\":true,\"num\":0}]");
    }

    // ---- Bytes ----

    [Fact]
    public void Multibyte_text_is_kept_byte_for_byte()
    {
        var message = Utf8("2/\u00fcber,[\"h\u00e9llo\",\"\u65e5\u672c\",\"\U0001F600\"]");

        var packet = Decode(message).ShouldBeComplete();

        packet.Namespace.Should().Be("/\u00fcber");
        packet.Data.ToArray().Should().Equal(Utf8("[\"h\u00e9llo\",\"\u65e5\u672c\",\"\U0001F600\"]"));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xFF, (byte)'"', (byte)']' })]
    [InlineData(new byte[] { (byte)'2', (byte)'/', 0xC3, (byte)',', (byte)'[', (byte)'"', (byte)'a', (byte)'"', (byte)']' })]
    [InlineData(new byte[] { (byte)'2', (byte)'[', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)']' })]
    [InlineData(new byte[] { 0xFF })]
    public void Bytes_that_are_not_utf8_are_refused(byte[] message)
    {
        Decode(message).ShouldBeInvalid(PacketDecodeErrors.InvalidUtf8);
    }

    [Fact]
    public void The_payload_is_copied_out_of_the_input_buffer()
    {
        var message = Utf8("2[\"hello\",1]");

        var packet = Decode(message).ShouldBeComplete();
        Array.Fill(message, (byte)'x');

        Text(packet.Data).Should().Be("[\"hello\",1]");
    }

    [Fact]
    public void A_decoded_packet_reads_from_a_slice_of_a_larger_buffer()
    {
        var buffer = Utf8("xx2/admin,1[\"a\"]yy");

        var status = JsonPacketDecoder.Decode(buffer.AsSpan(2, buffer.Length - 4), DecoderLimits.Default, out var packet, out _, out _);

        status.Should().Be(PacketDecodeStatus.Complete);
        packet!.ShouldEqual(Packet(PacketType.Event, "/admin", 1, "[\"a\"]"));
    }

    [Fact]
    public void Null_limits_are_a_programming_error()
    {
        var decode = () => JsonPacketDecoder.Decode("0"u8, null!, out _, out _, out _);
        decode.Should().Throw<ArgumentNullException>();
    }

    // ---- Robustness ----

    [Fact]
    public void Every_prefix_and_every_single_byte_mutation_of_valid_messages_is_a_result_not_an_exception()
    {
        string[] seeds =
        [
            "0/admin,{\"token\":\"123\"}",
            "2/admin,456[\"project:delete\",123,{\"a\":[1,2,{\"b\":null}]}]",
            "3/admin,456[]",
            "4{\"message\":\"Not authorized\"}",
            "52-/admin,789[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]",
        ];
        byte[] replacements = "0123456789-/,[]{}\":. \\xe\u00ff"u8.ToArray();

        foreach (var seed in seeds)
        {
            var bytes = Utf8(seed);
            for (var length = 0; length <= bytes.Length; length++)
            {
                AssertWellFormedOutcome(bytes.AsSpan(0, length));
            }

            for (var i = 0; i < bytes.Length; i++)
            {
                var mutated = (byte[])bytes.Clone();
                foreach (var replacement in replacements)
                {
                    mutated[i] = replacement;
                    AssertWellFormedOutcome(mutated);
                }
            }
        }
    }

    [Fact]
    public void Random_input_is_a_result_not_an_exception()
    {
        var random = new Random(20240917);
        byte[] alphabet = "0123456789-/,[]{}\":_placeholdernumtrufalsn .e\\\u00e9"u8.ToArray();

        for (var iteration = 0; iteration < 50_000; iteration++)
        {
            var message = new byte[random.Next(0, 48)];
            for (var i = 0; i < message.Length; i++)
            {
                // Mostly protocol-ish bytes, sometimes anything at all.
                message[i] = random.Next(8) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            AssertWellFormedOutcome(message);
        }
    }

    private static void AssertWellFormedOutcome(ReadOnlySpan<byte> message)
    {
        var status = JsonPacketDecoder.Decode(message, DecoderLimits.Default, out var packet, out var expected, out var error);
        switch (status)
        {
            case PacketDecodeStatus.Invalid:
                packet.Should().BeNull();
                error.Should().NotBeNull();
                break;
            case PacketDecodeStatus.Complete:
                packet.Should().NotBeNull();
                error.Should().BeNull();
                expected.Should().Be(0);
                break;
            case PacketDecodeStatus.AwaitingAttachments:
                packet.Should().NotBeNull();
                packet!.Type.Should().BeOneOf(PacketType.BinaryEvent, PacketType.BinaryAck);
                expected.Should().BeInRange(1, DecoderLimits.DefaultMaxAttachments);

                // Finishing the packet must not throw either, whatever its placeholders say.
                var assembler = new BinaryPacketAssembler(packet, expected, DecoderLimits.Default);
                for (var i = 0; i < expected; i++)
                {
                    assembler.Add([1, 2, 3], out _, out _);
                }

                break;
            default:
                throw new InvalidOperationException($"Unexpected status {status}.");
        }
    }
}
