using SocketIo.Internal.Protocol;

namespace SocketIo.Tests.Protocol;

public sealed class DecoderLimitsTests
{
    [Fact]
    public void Defaults_allow_ten_attachments_like_the_reference_parser()
    {
        DecoderLimits.Default.MaxAttachments.Should().Be(10);
        new DecoderLimits().MaxAttachments.Should().Be(DecoderLimits.DefaultMaxAttachments);
    }

    [Fact]
    public void Defaults_cap_json_nesting_at_32_levels()
    {
        DecoderLimits.Default.MaxDepth.Should().Be(32);
        new DecoderLimits().MaxDepth.Should().Be(DecoderLimits.DefaultMaxDepth);
    }

    [Fact]
    public void Zero_attachments_is_a_valid_limit_that_forbids_binary_packets()
    {
        new DecoderLimits { MaxAttachments = 0 }.MaxAttachments.Should().Be(0);
    }

    [Fact]
    public void A_negative_attachment_limit_is_refused()
    {
        var create = () => new DecoderLimits { MaxAttachments = -1 };
        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_depth_limit_below_one_is_refused(int depth)
    {
        var create = () => new DecoderLimits { MaxDepth = depth };
        create.Should().Throw<ArgumentOutOfRangeException>();
    }
}
