using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed class PacketDecoderTests
{
    private static bool Decode(string record, out IncomingPacket packet) => PacketDecoder.TryDecodeText(Encoding.UTF8.GetBytes(record), out packet);

    [Theory]
    [InlineData("0", "Open")]
    [InlineData("1", "Close")]
    [InlineData("2", "Ping")]
    [InlineData("3", "Pong")]
    [InlineData("4", "Message")]
    [InlineData("5", "Upgrade")]
    [InlineData("6", "Noop")]
    public void Each_type_digit_decodes_to_its_packet_type(string record, string expected)
    {
        Decode(record, out var packet).Should().BeTrue();
        packet.Type.ToString().Should().Be(expected);
        packet.IsBinary.Should().BeFalse();
        packet.Data.Length.Should().Be(0);
    }

    [Fact]
    public void A_message_carries_the_text_after_its_type_digit()
    {
        Decode("4hello", out var packet).Should().BeTrue();
        packet.Type.Should().Be(EnginePacketType.Message);
        Encoding.UTF8.GetString(packet.Data.Span).Should().Be("hello");
    }

    [Fact]
    public void Multi_byte_utf8_text_is_kept_byte_for_byte()
    {
        const string text = "héllo € 😀 日本";
        Decode("4" + text, out var packet).Should().BeTrue();
        packet.Data.ToArray().Should().Equal(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void A_b_record_is_a_binary_message_decoded_from_base64()
    {
        Decode("bAQID", out var packet).Should().BeTrue();
        packet.Type.Should().Be(EnginePacketType.Message);
        packet.IsBinary.Should().BeTrue();
        packet.Data.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void A_lone_b_is_an_empty_binary_message()
    {
        Decode("b", out var packet).Should().BeTrue();
        packet.IsBinary.Should().BeTrue();
        packet.Data.Length.Should().Be(0);
    }

    [Theory]
    [InlineData("b!!!")]
    [InlineData("bAQI")]
    [InlineData("b====")]
    public void Bad_base64_is_refused(string record) => Decode(record, out _).Should().BeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("9x")]
    [InlineData("a")]
    [InlineData("abc")]
    [InlineData("/")]
    [InlineData(" 4")]
    public void An_empty_record_or_an_unknown_type_is_refused(string record) => Decode(record, out _).Should().BeFalse();

    [Fact]
    public void A_ping_carrying_probe_is_a_probe_and_other_pings_are_not()
    {
        Decode("2probe", out var probe).Should().BeTrue();
        probe.IsProbe.Should().BeTrue();
        Decode("2", out var ping).Should().BeTrue();
        ping.IsProbe.Should().BeFalse();
        Decode("3probe", out var pong).Should().BeTrue();
        pong.IsProbe.Should().BeFalse();
    }

    [Fact]
    public void A_binary_frame_is_a_binary_message_with_the_raw_bytes()
    {
        byte[] frame = [0x34, 0x00, 0xFF];
        var packet = PacketDecoder.FromBinaryFrame(frame);
        packet.Type.Should().Be(EnginePacketType.Message);
        packet.IsBinary.Should().BeTrue();
        packet.Data.ToArray().Should().Equal(frame);
    }

    // ---- Protocol v3 ----

    [Fact]
    public void A_v3_b4_record_is_a_binary_message_decoded_from_base64()
    {
        PacketDecoder.TryDecodeTextV3(Encoding.UTF8.GetBytes("b4AQID"), out var packet).Should().BeTrue();
        packet.IsBinary.Should().BeTrue();
        packet.Data.ToArray().Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData("bAQID")]
    [InlineData("b2AQID")]
    [InlineData("b")]
    [InlineData("b4!!")]
    public void A_v3_b_record_needs_the_message_type_digit_and_valid_base64(string record) =>
        PacketDecoder.TryDecodeTextV3(Encoding.UTF8.GetBytes(record), out _).Should().BeFalse();

    [Fact]
    public void A_v3_text_record_without_b_decodes_as_in_v4()
    {
        PacketDecoder.TryDecodeTextV3(Encoding.UTF8.GetBytes("4bonjour"), out var packet).Should().BeTrue();
        packet.IsBinary.Should().BeFalse();
        Encoding.UTF8.GetString(packet.Data.Span).Should().Be("bonjour");
    }

    [Fact]
    public void A_v3_binary_frame_starts_with_the_message_type_byte_which_is_stripped()
    {
        PacketDecoder.TryDecodeBinaryV3(new byte[] { 4, 0, 0xFF }, out var packet).Should().BeTrue();
        packet.Type.Should().Be(EnginePacketType.Message);
        packet.IsBinary.Should().BeTrue();
        packet.Data.ToArray().Should().Equal(0, 0xFF);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x34, 1 })]
    [InlineData(new byte[] { 2 })]
    public void A_v3_binary_frame_that_is_no_message_is_refused(byte[] frame) =>
        PacketDecoder.TryDecodeBinaryV3(frame, out _).Should().BeFalse();
}
