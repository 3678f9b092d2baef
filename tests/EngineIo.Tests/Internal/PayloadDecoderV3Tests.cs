using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed class PayloadDecoderV3Tests
{
    private static (bool Ok, List<IncomingPacket> Packets) DecodeText(string payload) => DecodeText(Encoding.UTF8.GetBytes(payload));

    private static (bool Ok, List<IncomingPacket> Packets) DecodeText(byte[] payload)
    {
        var packets = new List<IncomingPacket>();
        var ok = PayloadDecoderV3.TryDecodeText(payload, packets);
        return (ok, packets);
    }

    private static (bool Ok, List<IncomingPacket> Packets) DecodeBinary(params byte[] payload)
    {
        var packets = new List<IncomingPacket>();
        var ok = PayloadDecoderV3.TryDecodeBinary(payload, packets);
        return (ok, packets);
    }

    private static string TextOf(IncomingPacket packet) => Encoding.UTF8.GetString(packet.Data.Span);

    // ---- Text payloads ----

    [Fact]
    public void A_text_payload_written_by_the_reference_decodes_record_by_record()
    {
        var (ok, packets) = DecodeText("3:4😀8:4héllo €6:b4AQID1:21:4");

        ok.Should().BeTrue();
        packets.Select(p => p.Type).Should().Equal(EnginePacketType.Message, EnginePacketType.Message, EnginePacketType.Message, EnginePacketType.Ping, EnginePacketType.Message);
        TextOf(packets[0]).Should().Be("😀");
        TextOf(packets[1]).Should().Be("héllo €");
        packets[2].IsBinary.Should().BeTrue();
        packets[2].Data.ToArray().Should().Equal(1, 2, 3);
        packets[4].Data.Length.Should().Be(0);
    }

    [Theory]
    [InlineData("9:4a😀b👍🏽", "a😀b👍🏽")]
    [InlineData("2:4€", "€")]
    [InlineData("4:4😀", null)]
    [InlineData("5:4😀", null)]
    [InlineData("2:4😀", null)]
    public void Lengths_count_utf16_code_units_and_must_end_on_a_character(string payload, string? expected)
    {
        // "5:4😀" would be right if lengths counted bytes; "2:4😀" ends between the two halves of the surrogate pair.
        var (ok, packets) = DecodeText(payload);
        ok.Should().Be(expected is not null);
        if (expected is not null) TextOf(packets.Single()).Should().Be(expected);
    }

    [Fact]
    public void An_empty_record_is_skipped_as_the_reference_does()
    {
        var (ok, packets) = DecodeText("0:1:4");
        ok.Should().BeTrue();
        packets.Should().ContainSingle().Which.Type.Should().Be(EnginePacketType.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData(":4a")]
    [InlineData("4hello")]
    [InlineData("2:4a1")]
    [InlineData("x:4a")]
    [InlineData("-1:4")]
    [InlineData("+2:4a")]
    [InlineData("2:4")]
    [InlineData("12345678901:4")]
    [InlineData("2:9x")]
    [InlineData("2:4a2:4b2:9c")]
    [InlineData("6:b2AQID")]
    [InlineData("6:bAQIDx")]
    [InlineData("4:b4A!")]
    [InlineData("1:b")]
    public void A_malformed_text_payload_is_refused_whole(string payload) => DecodeText(payload).Ok.Should().BeFalse();

    [Fact]
    public void A_text_payload_that_is_not_utf8_is_refused() =>
        DecodeText([(byte)'2', (byte)':', (byte)'4', 0xFF]).Ok.Should().BeFalse();

    // ---- Binary payloads ----

    [Fact]
    public void A_binary_payload_written_by_the_reference_decodes_record_by_record()
    {
        var (ok, packets) = DecodeBinary(
            0, 5, 255, (byte)'4', 0xF0, 0x9F, 0x98, 0x80,
            1, 4, 255, 4, 1, 2, 3,
            0, 1, 255, (byte)'2');

        ok.Should().BeTrue();
        packets.Should().HaveCount(3);
        TextOf(packets[0]).Should().Be("😀");
        packets[0].IsBinary.Should().BeFalse();
        packets[1].IsBinary.Should().BeTrue();
        packets[1].Data.ToArray().Should().Equal(1, 2, 3);
        packets[2].Type.Should().Be(EnginePacketType.Ping);
    }

    [Fact]
    public void A_binary_record_length_of_several_digits_is_read_one_byte_per_digit()
    {
        var payload = new byte[] { 1, 1, 2, 255, 4 }.Concat(Enumerable.Range(0, 11).Select(i => (byte)i)).ToArray();
        var (ok, packets) = DecodeBinary(payload);
        ok.Should().BeTrue();
        packets.Single().Data.ToArray().Should().Equal(Enumerable.Range(0, 11).Select(i => (byte)i));
    }

    [Fact]
    public void An_empty_binary_message_is_its_type_byte_alone()
    {
        var (ok, packets) = DecodeBinary(1, 1, 255, 4);
        ok.Should().BeTrue();
        packets.Single().Data.Length.Should().Be(0);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2, 1, 255, 52 })]
    [InlineData(new byte[] { 0, 10, 255, 52 })]
    [InlineData(new byte[] { 0, 1, 52 })]
    [InlineData(new byte[] { 0, 255, 52 })]
    [InlineData(new byte[] { 0, 2, 255, 52 })]
    [InlineData(new byte[] { 0, 0, 255 })]
    [InlineData(new byte[] { 1, 0, 255 })]
    [InlineData(new byte[] { 1, 2, 255, 2, 9 })]
    [InlineData(new byte[] { 0, 1, 255, 57 })]
    [InlineData(new byte[] { 0, 1, 255, 52, 7 })]
    [InlineData(new byte[] { 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 255, 52 })]
    public void A_malformed_binary_payload_is_refused_whole(byte[] payload) => DecodeBinary(payload).Ok.Should().BeFalse();

    // ---- Round trips ----

    [Fact]
    public void What_the_encoder_writes_the_decoder_reads_back_in_both_forms()
    {
        var messages = new[] { EngineMessage.Text("héllo 😀"), EngineMessage.Binary(new byte[] { 0, 1, 254, 255 }), EngineMessage.Text(""), EngineMessage.Text(new string('z', 12_345)) };
        var batch = messages.Select(m => new OutgoingPacket(m, true)).ToList();

        var text = new byte[PayloadEncoderV3.GetTextLength(batch)];
        PayloadEncoderV3.EncodeText(batch, text);
        var binary = new byte[PayloadEncoderV3.GetBinaryLength(batch)];
        PayloadEncoderV3.EncodeBinary(batch, binary);

        foreach (var (ok, packets) in new[] { DecodeText(text), DecodeBinary(binary) })
        {
            ok.Should().BeTrue();
            packets.Should().HaveCount(4);
            TextOf(packets[0]).Should().Be("héllo 😀");
            packets[1].IsBinary.Should().BeTrue();
            packets[1].Data.ToArray().Should().Equal(0, 1, 254, 255);
            packets[2].Data.Length.Should().Be(0);
            packets[3].Data.Length.Should().Be(12_345);
        }
    }
}
