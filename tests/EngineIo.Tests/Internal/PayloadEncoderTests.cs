using System.Buffers;
using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed class PayloadEncoderTests
{
    private static string Encode(params EngineMessage[] messages)
    {
        var batch = messages.Select(m => new OutgoingPacket(m, true)).ToList();
        var buffer = new byte[PayloadEncoder.GetLength(batch)];
        PayloadEncoder.Encode(batch, buffer);
        return Encoding.UTF8.GetString(buffer);
    }

    [Fact]
    public void One_text_packet_is_its_type_digit_and_data_with_no_separator() => Encode(EngineMessage.Text("hello")).Should().Be("4hello");

    [Fact]
    public void Packets_are_joined_by_the_0x1E_record_separator() =>
        Encode(EngineMessage.Text("a"), EngineMessage.Text("b"), ControlPackets.Ping).Should().Be("4a\x1e" + "4b\x1e" + "2");

    [Fact]
    public void A_binary_packet_is_b_followed_by_base64() => Encode(EngineMessage.Binary(new byte[] { 1, 2, 3, 4 })).Should().Be("bAQIDBA==");

    [Fact]
    public void An_empty_binary_packet_is_a_lone_b() => Encode(EngineMessage.Binary(ReadOnlyMemory<byte>.Empty)).Should().Be("b");

    [Fact]
    public void Multi_byte_utf8_text_is_written_as_utf8_and_counted_in_bytes()
    {
        var message = EngineMessage.Text("€😀");
        var batch = new List<OutgoingPacket> { new(message, true) };
        PayloadEncoder.GetLength(batch).Should().Be(1 + 3 + 4);
        Encode(message).Should().Be("4€😀");
    }

    [Fact]
    public void An_empty_batch_encodes_to_an_empty_payload()
    {
        var batch = new List<OutgoingPacket>();
        PayloadEncoder.GetLength(batch).Should().Be(0);
        var writer = new ArrayBufferWriter<byte>();
        PayloadEncoder.Encode(batch, writer);
        writer.WrittenCount.Should().Be(0);
    }

    [Fact]
    public void The_buffer_writer_overload_writes_the_same_bytes_as_the_span_overload()
    {
        var batch = new List<OutgoingPacket> { new(EngineMessage.Text("x"), true), new(EngineMessage.Binary(new byte[] { 9 }), false) };
        var writer = new ArrayBufferWriter<byte>();
        PayloadEncoder.Encode(batch, writer);
        Encoding.UTF8.GetString(writer.WrittenSpan).Should().Be("4x\x1e" + "bCQ==");
    }

    [Fact]
    public void An_empty_text_message_is_a_lone_type_digit() => Encode(EngineMessage.Text(""), EngineMessage.Text("")).Should().Be("4\x1e" + "4");
}
