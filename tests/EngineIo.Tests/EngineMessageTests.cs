using System.Runtime.InteropServices;
using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests;

public sealed class EngineMessageTests
{
    [Fact]
    public void A_text_message_is_one_websocket_text_frame_of_its_type_digit_and_utf8_data()
    {
        var message = EngineMessage.Text("héllo");
        message.IsBinary.Should().BeFalse();
        message.DataLength.Should().Be(6);
        Encoding.UTF8.GetString(message.WebSocketFrame.Span).Should().Be("4héllo");
    }

    [Fact]
    public void A_text_message_is_also_its_own_polling_record()
    {
        var message = EngineMessage.Text("a€");
        message.PollingRecord.ToArray().Should().Equal(message.WebSocketFrame.ToArray());
    }

    [Fact]
    public void A_text_message_made_from_utf8_bytes_copies_them()
    {
        var utf8 = Encoding.UTF8.GetBytes("abc");
        var message = EngineMessage.Text(utf8);
        utf8[0] = (byte)'z';
        Encoding.UTF8.GetString(message.WebSocketFrame.Span).Should().Be("4abc");
    }

    [Fact]
    public void A_binary_message_is_one_websocket_binary_frame_of_the_raw_bytes()
    {
        var data = new byte[] { 0, 1, 2, 255 };
        var message = EngineMessage.Binary(data);
        message.IsBinary.Should().BeTrue();
        message.DataLength.Should().Be(4);
        message.WebSocketFrame.ToArray().Should().Equal(data);
        message.BinaryData.ToArray().Should().Equal(data);
    }

    [Fact]
    public void A_binary_message_is_a_b_and_base64_polling_record()
    {
        var message = EngineMessage.Binary(new byte[] { 1, 2, 3, 4, 5 });
        Encoding.ASCII.GetString(message.PollingRecord.Span).Should().Be("bAQIDBAU=");
    }

    [Fact]
    public void The_base64_record_is_computed_once_and_shared()
    {
        var message = EngineMessage.Binary(new byte[] { 1, 2, 3 });
        MemoryMarshal.TryGetArray(message.PollingRecord, out var first).Should().BeTrue();
        MemoryMarshal.TryGetArray(message.PollingRecord, out var second).Should().BeTrue();
        second.Array.Should().BeSameAs(first.Array);
    }

    [Fact]
    public void Control_packets_are_their_type_digit_alone()
    {
        Encoding.ASCII.GetString(ControlPackets.Close.WebSocketFrame.Span).Should().Be("1");
        Encoding.ASCII.GetString(ControlPackets.Ping.WebSocketFrame.Span).Should().Be("2");
        Encoding.ASCII.GetString(ControlPackets.Pong.WebSocketFrame.Span).Should().Be("3");
        Encoding.ASCII.GetString(ControlPackets.Noop.WebSocketFrame.Span).Should().Be("6");
        Encoding.ASCII.GetString(ControlPackets.PongProbe.WebSocketFrame.Span).Should().Be("3probe");
    }

    [Fact]
    public void An_open_packet_carries_its_json() =>
        Encoding.UTF8.GetString(EngineMessage.Create(EnginePacketType.Open, "{\"sid\":\"x\"}").TextFrame).Should().Be("0{\"sid\":\"x\"}");

    [Fact]
    public void A_null_text_is_refused() => FluentActions.Invoking(() => EngineMessage.Text((string)null!)).Should().Throw<ArgumentNullException>();

    // ---- Protocol v3 forms ----

    [Fact]
    public void A_binary_message_has_a_v3_base64_form_marked_b4()
    {
        var message = EngineMessage.Binary(new byte[] { 1, 2, 3, 4 });
        Encoding.ASCII.GetString(message.Base64PacketV3.Span).Should().Be("b4AQIDBA==");
    }

    [Fact]
    public void A_binary_message_has_a_v3_binary_form_led_by_the_message_type_byte()
    {
        var message = EngineMessage.Binary(new byte[] { 9, 8 });
        message.BinaryFrameV3.ToArray().Should().Equal(4, 9, 8);
        // The raw v4 frame is left as it was.
        message.WebSocketFrame.ToArray().Should().Equal(9, 8);
    }

    [Fact]
    public void The_v3_forms_are_made_once_and_shared()
    {
        var message = EngineMessage.Binary(new byte[] { 1 });
        MemoryMarshal.TryGetArray(message.BinaryFrameV3, out var first).Should().BeTrue();
        MemoryMarshal.TryGetArray(message.BinaryFrameV3, out var second).Should().BeTrue();
        first.Array.Should().BeSameAs(second.Array);
        MemoryMarshal.TryGetArray(message.Base64PacketV3, out var base64First).Should().BeTrue();
        MemoryMarshal.TryGetArray(message.Base64PacketV3, out var base64Second).Should().BeTrue();
        base64First.Array.Should().BeSameAs(base64Second.Array);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("abc", 4)]
    [InlineData("é€", 3)]
    [InlineData("😀", 3)]
    [InlineData("👍🏽", 5)]
    public void The_utf16_length_of_a_text_frame_counts_the_type_digit_and_surrogate_pairs_as_two(string text, int expected) =>
        EngineMessage.Text(text).TextFrameUtf16Length.Should().Be(expected);
}
