using SocketIo.Internal.Protocol;
using static SocketIo.Tests.Protocol.PacketTestHelpers;

namespace SocketIo.Tests.Protocol;

public sealed class BinaryPacketAssemblerTests
{
    private static BinaryPacketAssembler AssemblerFor(string header, DecoderLimits? limits = null)
    {
        limits ??= DecoderLimits.Default;
        var packet = Decode(header, limits).ShouldAwait(expectedAttachmentsOf(header));
        return new BinaryPacketAssembler(packet, expectedAttachmentsOf(header), limits);

        static int expectedAttachmentsOf(string header) => int.Parse(header[1..header.IndexOf('-')]);
    }

    [Fact]
    public void A_single_attachment_completes_the_packet()
    {
        var assembler = AssemblerFor("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]");

        var status = assembler.Add(new byte[] { 1, 2, 3, 4 }, out var packet, out var error);

        status.Should().Be(PacketDecodeStatus.Complete);
        error.Should().BeNull();
        packet!.ShouldEqual(Packet(PacketType.BinaryEvent, data: "[\"hello\",{\"_placeholder\":true,\"num\":0}]", attachments: [[1, 2, 3, 4]]));
    }

    [Fact]
    public void The_packet_completes_only_with_the_last_attachment_and_keeps_their_order()
    {
        var assembler = AssemblerFor("53-/admin,7[\"a\",{\"_placeholder\":true,\"num\":2},{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");

        assembler.Add(new byte[] { 0 }, out var first, out _).Should().Be(PacketDecodeStatus.AwaitingAttachments);
        assembler.ReceivedAttachments.Should().Be(1);
        assembler.Add(new byte[] { 1, 1 }, out var second, out _).Should().Be(PacketDecodeStatus.AwaitingAttachments);
        assembler.Add(new byte[] { 2, 2, 2 }, out var packet, out _).Should().Be(PacketDecodeStatus.Complete);

        first.Should().BeNull();
        second.Should().BeNull();
        assembler.ExpectedAttachments.Should().Be(3);
        assembler.ReceivedAttachments.Should().Be(3);
        packet!.ShouldEqual(Packet(
            PacketType.BinaryEvent,
            "/admin",
            7,
            "[\"a\",{\"_placeholder\":true,\"num\":2},{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            [0],
            [1, 1],
            [2, 2, 2]));
    }

    [Fact]
    public void A_binary_ack_keeps_its_type_and_id()
    {
        var assembler = AssemblerFor("61-/admin,456[{\"_placeholder\":true,\"num\":0}]");

        assembler.Add(new byte[] { 9 }, out var packet, out _).Should().Be(PacketDecodeStatus.Complete);

        packet!.ShouldEqual(Packet(PacketType.BinaryAck, "/admin", 456, "[{\"_placeholder\":true,\"num\":0}]", [9]));
    }

    [Fact]
    public void An_empty_attachment_is_still_an_attachment()
    {
        var assembler = AssemblerFor("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");

        assembler.Add([], out var packet, out _).Should().Be(PacketDecodeStatus.Complete);

        packet!.Attachments.Should().ContainSingle().Which.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Attachments_are_copied_out_of_the_transport_buffer()
    {
        var assembler = AssemblerFor("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        var buffer = new byte[] { 1, 2, 3 };

        assembler.Add(buffer, out var packet, out _);
        Array.Fill(buffer, (byte)0);

        packet!.Attachments[0].ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Unreferenced_attachments_are_kept_as_the_reference_keeps_them()
    {
        var assembler = AssemblerFor("52-[\"hello\"]");

        assembler.Add(new byte[] { 1 }, out _, out _);
        assembler.Add(new byte[] { 2 }, out var packet, out _).Should().Be(PacketDecodeStatus.Complete);

        packet!.Attachments.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":\"splice\"}]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":-1}]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":0.5}]")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true}]")]
    [InlineData("51-[\"hello\",{\"nested\":[{\"_placeholder\":true,\"num\":\"__proto__\"}]}]")]
    [InlineData("61-1[{\"_placeholder\":true,\"num\":{}}]")]
    public void A_placeholder_that_names_no_attachment_makes_the_packet_invalid(string header)
    {
        var assembler = AssemblerFor(header);

        var status = assembler.Add(new byte[] { 1 }, out var packet, out var error);

        status.Should().Be(PacketDecodeStatus.Invalid);
        packet.Should().BeNull();
        error.Should().Be(PacketDecodeErrors.IllegalPlaceholder);
    }

    [Fact]
    public void Placeholders_are_checked_against_the_full_attachment_count()
    {
        var assembler = AssemblerFor("52-[\"a\",{\"_placeholder\":true,\"num\":1}]");

        assembler.Add(new byte[] { 1 }, out _, out _).Should().Be(PacketDecodeStatus.AwaitingAttachments);
        assembler.Add(new byte[] { 2 }, out var packet, out _).Should().Be(PacketDecodeStatus.Complete);

        packet!.Attachments[1].ToArray().Should().Equal(2);
    }

    [Fact]
    public void Adding_after_the_packet_is_complete_is_a_programming_error()
    {
        var assembler = AssemblerFor("51-[\"a\"]");
        assembler.Add(new byte[] { 1 }, out _, out _);

        var addAgain = () => assembler.Add(new byte[] { 2 }, out _, out _);

        addAgain.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Adding_after_the_packet_was_found_invalid_is_a_programming_error()
    {
        var assembler = AssemblerFor("51-[\"a\",{\"_placeholder\":true,\"num\":3}]");
        assembler.Add(new byte[] { 1 }, out _, out _).Should().Be(PacketDecodeStatus.Invalid);

        var addAgain = () => assembler.Add(new byte[] { 2 }, out _, out _);

        addAgain.Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData((int)PacketType.Event)]
    [InlineData((int)PacketType.Ack)]
    [InlineData((int)PacketType.Connect)]
    public void Only_binary_headers_can_be_assembled(int type)
    {
        var create = () => new BinaryPacketAssembler(Packet((PacketType)type, id: 1, data: "[\"a\"]"), 1, DecoderLimits.Default);

        create.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_assembler_needs_at_least_one_expected_attachment(int expected)
    {
        var create = () => new BinaryPacketAssembler(Packet(PacketType.BinaryEvent, data: "[\"a\"]"), expected, DecoderLimits.Default);

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Placeholders_are_walked_with_the_configured_depth_limit()
    {
        var limits = new DecoderLimits { MaxDepth = 100 };
        var header = "51-[\"deep\"," + new string('[', 60) + "{\"_placeholder\":true,\"num\":0}" + new string(']', 60) + "]";
        var assembler = AssemblerFor(header, limits);

        assembler.Add(new byte[] { 1 }, out var packet, out _).Should().Be(PacketDecodeStatus.Complete);
        packet.Should().NotBeNull();
    }
}
