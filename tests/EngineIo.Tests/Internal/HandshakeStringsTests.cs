using System.Text;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed class HandshakeStringsTests
{
    [Fact]
    public void The_same_text_gives_the_same_instance_from_bytes_and_from_strings()
    {
        var fromBytes = HandshakeStrings.FromLatin1("permessage-deflate; client_max_window_bits"u8);
        HandshakeStrings.FromLatin1("permessage-deflate; client_max_window_bits"u8).Should().BeSameAs(fromBytes);
        HandshakeStrings.Share(new string("permessage-deflate; client_max_window_bits".AsSpan())).Should().BeSameAs(fromBytes);
    }

    [Fact]
    public void Latin1_bytes_keep_their_characters()
    {
        HandshakeStrings.FromLatin1([0x63, 0x61, 0x66, 0xE9]).Should().Be("café");
        HandshakeStrings.FromLatin1([]).Should().BeSameAs(string.Empty);
    }

    [Fact]
    public void Long_strings_are_not_shared()
    {
        var bytes = Encoding.Latin1.GetBytes(new string('a', HandshakeStrings.MaxLength + 1));
        HandshakeStrings.FromLatin1(bytes).Should().NotBeSameAs(HandshakeStrings.FromLatin1(bytes));
        HandshakeStrings.FromLatin1(bytes).Should().HaveLength(HandshakeStrings.MaxLength + 1);
    }

    [Fact]
    public void Many_different_values_never_give_a_wrong_string()
    {
        // More values than slots: every answer is still the value asked for, whichever slot it took.
        for (var i = 0; i < HandshakeStrings.Slots * 2; i++)
        {
            var text = "value-" + i;
            HandshakeStrings.FromLatin1(Encoding.Latin1.GetBytes(text)).Should().Be(text);
            HandshakeStrings.Share(text + "!").Should().Be(text + "!");
        }
    }

    [Theory]
    [InlineData("Sec-WebSocket-Key", false)]
    [InlineData("cookie", false)]
    [InlineData("Authorization", false)]
    [InlineData("User-Agent", true)]
    [InlineData("Host", true)]
    public void Headers_that_differ_on_every_request_are_not_offered(string name, bool shareable) =>
        HandshakeStrings.IsShareable(name).Should().Be(shareable);
}
