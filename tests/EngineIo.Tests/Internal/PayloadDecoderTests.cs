using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed class PayloadDecoderTests
{
    private static (bool Ok, List<IncomingPacket> Packets) Decode(string payload)
    {
        var packets = new List<IncomingPacket>();
        var ok = PayloadDecoder.TryDecode(Encoding.UTF8.GetBytes(payload), packets);
        return (ok, packets);
    }

    [Fact]
    public void A_payload_of_one_packet_decodes_to_that_packet()
    {
        var (ok, packets) = Decode("4hello");
        ok.Should().BeTrue();
        packets.Should().ContainSingle();
        Encoding.UTF8.GetString(packets[0].Data.Span).Should().Be("hello");
    }

    [Fact]
    public void Records_are_separated_by_the_0x1E_record_separator()
    {
        var (ok, packets) = Decode("4a\x1e" + "4b\x1e" + "bAQID\x1e" + "3\x1e" + "4€");
        ok.Should().BeTrue();
        packets.Select(p => p.Type).Should().Equal(EnginePacketType.Message, EnginePacketType.Message, EnginePacketType.Message, EnginePacketType.Pong, EnginePacketType.Message);
        Encoding.UTF8.GetString(packets[0].Data.Span).Should().Be("a");
        Encoding.UTF8.GetString(packets[1].Data.Span).Should().Be("b");
        packets[2].IsBinary.Should().BeTrue();
        packets[2].Data.ToArray().Should().Equal(1, 2, 3);
        Encoding.UTF8.GetString(packets[4].Data.Span).Should().Be("€");
    }

    [Fact]
    public void An_empty_message_in_the_middle_of_a_payload_is_kept()
    {
        var (ok, packets) = Decode("4\x1e" + "4x");
        ok.Should().BeTrue();
        packets.Should().HaveCount(2);
        packets[0].Data.Length.Should().Be(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\x1e")]
    [InlineData("4a\x1e")]
    [InlineData("\x1e" + "4a")]
    [InlineData("4a\x1e\x1e" + "4b")]
    public void An_empty_payload_or_an_empty_record_is_refused(string payload) => Decode(payload).Ok.Should().BeFalse();

    [Theory]
    [InlineData("abc")]
    [InlineData("9x")]
    [InlineData("7")]
    [InlineData("b!!!")]
    [InlineData("4good\x1e" + "9bad")]
    [InlineData("4good\x1e" + "b!!!")]
    public void A_payload_with_any_bad_record_is_refused_whole(string payload) => Decode(payload).Ok.Should().BeFalse();

    [Fact]
    public void A_round_trip_through_the_encoder_gives_back_the_same_packets()
    {
        var messages = new[] { EngineMessage.Text("héllo"), EngineMessage.Binary(new byte[] { 0, 1, 254, 255 }), EngineMessage.Text(""), EngineMessage.Text("😀") };
        var batch = messages.Select(m => new OutgoingPacket(m, true)).ToList();
        var buffer = new byte[PayloadEncoder.GetLength(batch)];
        PayloadEncoder.Encode(batch, buffer);

        var packets = new List<IncomingPacket>();
        PayloadDecoder.TryDecode(buffer, packets).Should().BeTrue();

        packets.Should().HaveCount(4);
        Encoding.UTF8.GetString(packets[0].Data.Span).Should().Be("héllo");
        packets[1].IsBinary.Should().BeTrue();
        packets[1].Data.ToArray().Should().Equal(0, 1, 254, 255);
        packets[2].Data.Length.Should().Be(0);
        Encoding.UTF8.GetString(packets[3].Data.Span).Should().Be("😀");
    }
}
