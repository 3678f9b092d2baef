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
}
