using System.Text;
using SocketIo.Internal.Recovery;

namespace SocketIo.Tests.Recovery;

public sealed class PacketOffsetTests
{
    [Theory]
    [InlineData("[\"e\"]", "[\"e\",\"ab-1\"]")]
    [InlineData("[\"e\",1,{\"a\":[2]}]", "[\"e\",1,{\"a\":[2]},\"ab-1\"]")]
    [InlineData(" [\"e\" ] \n", "[\"e\",\"ab-1\"]")]
    public void An_offset_is_appended_as_the_last_element(string payload, string expected)
    {
        var stamped = PacketOffset.AppendTo(Encoding.UTF8.GetBytes(payload), "ab-1");
        Encoding.UTF8.GetString(stamped).Should().Be(expected);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"a\":1}")]
    [InlineData("")]
    public void Only_a_non_empty_array_takes_an_offset(string payload)
    {
        var act = () => PacketOffset.AppendTo(Encoding.UTF8.GetBytes(payload), "ab-1");
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void An_offset_reads_back_only_in_the_epoch_that_wrote_it()
    {
        var offsets = PacketOffset.NewEpoch();
        var other = PacketOffset.NewEpoch();
        var offset = offsets.Format(42);

        offset.Should().MatchRegex("^[0-9a-f]{8}-42$");
        offsets.TryParse(offset, out var sequence).Should().BeTrue();
        sequence.Should().Be(42);
        other.TryParse(offset, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("-42")]
    [InlineData("EPOCH-")]
    [InlineData("EPOCH--1")]
    [InlineData("EPOCH-+1")]
    [InlineData("EPOCH-1 ")]
    [InlineData("EPOCH-99999999999999999999")]
    [InlineData("EPOCHx1")]
    public void Anything_else_is_not_an_offset(string candidate)
    {
        var offsets = PacketOffset.NewEpoch();
        var epoch = offsets.Format(0)[..8];
        offsets.TryParse(candidate.Replace("EPOCH", epoch, StringComparison.Ordinal), out _).Should().BeFalse();
    }
}
