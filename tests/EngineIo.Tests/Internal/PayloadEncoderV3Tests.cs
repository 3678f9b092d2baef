using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed class PayloadEncoderV3Tests
{
    // The packets behind the reference vectors below, which engine.io-parser 2.2.1 (the v3 codec of
    // socket.io-client 2.x) produces for them.
    private static readonly EngineMessage[] ReferenceMessages =
    [
        EngineMessage.Text("😀"),
        EngineMessage.Text("héllo €"),
        EngineMessage.Binary(new byte[] { 1, 2, 3 }),
        ControlPackets.Ping,
        EngineMessage.Text(""),
    ];

    private static List<OutgoingPacket> Batch(params EngineMessage[] messages) => messages.Select(m => new OutgoingPacket(m, true)).ToList();

    private static string EncodeText(params EngineMessage[] messages)
    {
        var batch = Batch(messages);
        var buffer = new byte[PayloadEncoderV3.GetTextLength(batch)];
        PayloadEncoderV3.EncodeText(batch, buffer);
        return Encoding.UTF8.GetString(buffer);
    }

    private static byte[] EncodeBinary(params EngineMessage[] messages)
    {
        var batch = Batch(messages);
        var buffer = new byte[PayloadEncoderV3.GetBinaryLength(batch)];
        PayloadEncoderV3.EncodeBinary(batch, buffer);
        return buffer;
    }

    [Fact]
    public void A_text_payload_is_length_colon_packet_records_as_the_reference_writes_them() =>
        EncodeText(ReferenceMessages).Should().Be("3:4😀8:4héllo €6:b4AQID1:21:4");

    [Fact]
    public void Text_record_lengths_count_utf16_code_units_not_bytes_or_characters()
    {
        // 😀 is 4 bytes of UTF-8, one character, and two UTF-16 code units; € is 3 bytes and one code unit.
        EncodeText(EngineMessage.Text("😀")).Should().Be("3:4😀");
        EncodeText(EngineMessage.Text("€")).Should().Be("2:4€");
        EncodeText(EngineMessage.Text("a😀b👍🏽")).Should().Be("9:4a😀b👍🏽");
    }

    [Fact]
    public void The_computed_text_length_is_the_number_of_bytes_written()
    {
        var batch = Batch(ReferenceMessages);
        PayloadEncoderV3.GetTextLength(batch).Should().Be(Encoding.UTF8.GetByteCount("3:4😀8:4héllo €6:b4AQID1:21:4"));
    }

    [Fact]
    public void A_ten_thousand_character_record_gets_a_five_digit_length() =>
        EncodeText(EngineMessage.Text(new string('x', 9999))).Should().StartWith("10000:4xxx");

    [Fact]
    public void A_binary_payload_matches_the_reference_byte_for_byte() =>
        EncodeBinary(ReferenceMessages).Should().Equal(
            0, 5, 255, (byte)'4', 0xF0, 0x9F, 0x98, 0x80,
            0, 1, 1, 255, (byte)'4', (byte)'h', 0xC3, 0xA9, (byte)'l', (byte)'l', (byte)'o', (byte)' ', 0xE2, 0x82, 0xAC,
            1, 4, 255, 4, 1, 2, 3,
            0, 1, 255, (byte)'2',
            0, 1, 255, (byte)'4');

    [Fact]
    public void Binary_record_lengths_are_one_byte_per_decimal_digit()
    {
        var encoded = EncodeBinary(EngineMessage.Text(new string('x', 1233)));
        encoded.Take(7).Should().Equal(0, 1, 2, 3, 4, 255, (byte)'4');
        encoded.Should().HaveCount(6 + 1234);
    }

    [Fact]
    public void Only_a_batch_holding_binary_needs_a_binary_payload()
    {
        PayloadEncoderV3.NeedsBinaryPayload(Batch(EngineMessage.Text("a"), ControlPackets.Pong)).Should().BeFalse();
        PayloadEncoderV3.NeedsBinaryPayload(Batch(EngineMessage.Text("a"), EngineMessage.Binary(new byte[] { 1 }))).Should().BeTrue();
    }
}
