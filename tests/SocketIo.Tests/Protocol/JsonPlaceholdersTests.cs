using System.Text;
using System.Text.Json;
using SocketIo.Internal.Protocol;

namespace SocketIo.Tests.Protocol;

public sealed class JsonPlaceholdersTests
{
    private static bool AreValid(string json, int attachments, int maxDepth = DecoderLimits.DefaultMaxDepth) =>
        JsonPlaceholders.AreValid(Encoding.UTF8.GetBytes(json), attachments, maxDepth);

    [Theory]
    [InlineData("[\"hello\",{\"_placeholder\":true,\"num\":0}]", 1)]
    [InlineData("[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", 2)]
    [InlineData("[\"a\",{\"b\":[\"c\",{\"_placeholder\":true,\"num\":0}]}]", 1)]
    [InlineData("[\"a\",{\"num\":1,\"_placeholder\":true}]", 2)]
    [InlineData("[{\"_placeholder\":true,\"num\":0,\"extra\":\"ignored\"}]", 1)]
    public void Placeholders_that_name_an_attachment_are_valid(string json, int attachments)
    {
        AreValid(json, attachments).Should().BeTrue();
    }

    [Fact]
    public void A_payload_without_placeholders_is_valid_even_if_attachments_go_unused()
    {
        // The reference does not require every attachment to be referenced.
        AreValid("[\"hello\"]", 1).Should().BeTrue();
        AreValid("[\"a\",{\"_placeholder\":true,\"num\":1}]", 3).Should().BeTrue();
    }

    [Fact]
    public void Several_placeholders_may_name_the_same_attachment()
    {
        AreValid("[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]", 1).Should().BeTrue();
    }

    [Fact]
    public void An_empty_payload_has_no_placeholders()
    {
        JsonPlaceholders.AreValid([], 1, DecoderLimits.DefaultMaxDepth).Should().BeTrue();
    }

    [Theory]
    [InlineData("{\"_placeholder\":true,\"num\":\"splice\"}")]
    [InlineData("{\"_placeholder\":true,\"num\":\"0\"}")]
    [InlineData("{\"_placeholder\":true,\"num\":1}")]
    [InlineData("{\"_placeholder\":true,\"num\":-1}")]
    [InlineData("{\"_placeholder\":true,\"num\":0.5}")]
    [InlineData("{\"_placeholder\":true,\"num\":1e400}")]
    [InlineData("{\"_placeholder\":true,\"num\":null}")]
    [InlineData("{\"_placeholder\":true,\"num\":true}")]
    [InlineData("{\"_placeholder\":true,\"num\":[0]}")]
    [InlineData("{\"_placeholder\":true,\"num\":{\"valueOf\":0}}")]
    [InlineData("{\"_placeholder\":true}")]
    [InlineData("{\"_placeholder\":true,\"num\":0,\"num\":\"splice\"}")]
    public void A_placeholder_with_a_bad_index_is_invalid(string placeholder)
    {
        AreValid($"[\"x\",{placeholder}]", 1).Should().BeFalse();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("-0")]
    [InlineData("0e5")]
    [InlineData("1e-400")]
    public void An_index_written_in_another_form_of_an_integer_is_accepted_as_javascript_reads_it(string num)
    {
        AreValid($"[\"x\",{{\"_placeholder\":true,\"num\":{num}}}]", 1).Should().BeTrue();
    }

    [Theory]
    [InlineData("{\"_placeholder\":false,\"num\":\"splice\"}")]
    [InlineData("{\"_placeholder\":\"true\",\"num\":\"splice\"}")]
    [InlineData("{\"_placeholder\":1,\"num\":-1}")]
    [InlineData("{\"_placeholder\":{},\"num\":-1}")]
    [InlineData("{\"_placeholder\":true,\"_placeholder\":false,\"num\":99}")]
    [InlineData("{\"placeholder\":true,\"num\":99}")]
    public void An_object_is_a_placeholder_only_when_its_last_placeholder_member_is_exactly_true(string notAPlaceholder)
    {
        AreValid($"[\"x\",{notAPlaceholder}]", 1).Should().BeTrue();
    }

    [Fact]
    public void A_placeholder_member_repeated_as_true_makes_the_object_a_placeholder()
    {
        AreValid("[\"x\",{\"_placeholder\":false,\"num\":9,\"_placeholder\":true}]", 1).Should().BeFalse();
        AreValid("[\"x\",{\"_placeholder\":false,\"num\":0,\"_placeholder\":true}]", 1).Should().BeTrue();
    }

    [Fact]
    public void Member_names_are_compared_after_unescaping()
    {
        AreValid("[\"x\",{\"\\u005fplaceholder\":true,\"n\\u0075m\":7}]", 1).Should().BeFalse();
        AreValid("[\"x\",{\"\\u005fplaceholder\":true,\"n\\u0075m\":0}]", 1).Should().BeTrue();
    }

    [Fact]
    public void Bad_placeholders_nested_anywhere_are_found()
    {
        AreValid("[\"a\",{\"b\":[1,{\"c\":{\"_placeholder\":true,\"num\":5}}]}]", 1).Should().BeFalse();
        AreValid("[\"a\",[[[{\"_placeholder\":true,\"num\":\"x\"}]]],\"b\"]", 1).Should().BeFalse();
    }

    [Fact]
    public void A_bad_placeholder_among_good_ones_is_found()
    {
        AreValid("[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":2},{\"_placeholder\":true,\"num\":1}]", 2)
            .Should().BeFalse();
    }

    [Fact]
    public void What_is_inside_a_valid_placeholder_is_not_looked_at()
    {
        // The reference replaces the whole placeholder object with the buffer, contents included.
        AreValid("[\"a\",{\"_placeholder\":true,\"num\":0,\"inner\":{\"_placeholder\":true,\"num\":\"bad\"}}]", 1).Should().BeTrue();
        AreValid("[\"a\",{\"inner\":{\"_placeholder\":true,\"num\":\"bad\"},\"_placeholder\":true,\"num\":0}]", 1).Should().BeTrue();
    }

    [Fact]
    public void An_invalid_placeholder_cannot_hide_behind_an_invalid_ancestor_placeholder()
    {
        AreValid("[\"a\",{\"_placeholder\":true,\"num\":9,\"inner\":{\"_placeholder\":true,\"num\":0}}]", 1).Should().BeFalse();
    }

    [Fact]
    public void A_valid_placeholder_object_does_not_rescue_bad_siblings()
    {
        AreValid("[{\"_placeholder\":true,\"num\":0},{\"x\":{\"_placeholder\":true,\"num\":3}}]", 1).Should().BeFalse();
    }

    [Fact]
    public void Member_values_that_are_containers_reset_the_member()
    {
        // "num" is first valid then overwritten by an array, as JSON.parse would keep the last value.
        AreValid("[\"x\",{\"_placeholder\":true,\"num\":0,\"num\":[0]}]", 1).Should().BeFalse();

        // "_placeholder" overwritten by an object: no longer a placeholder.
        AreValid("[\"x\",{\"_placeholder\":true,\"num\":5,\"_placeholder\":{}}]", 1).Should().BeTrue();
    }

    [Theory]
    [InlineData("[\"x\",{\"_placeholder\":true,\"num\":0}")]
    [InlineData("[\"x\",{\"_placeholder\":true,\"num\":}]")]
    [InlineData("not json")]
    public void Malformed_json_is_invalid(string json)
    {
        AreValid(json, 1).Should().BeFalse();
    }

    [Fact]
    public void Json_nested_beyond_the_depth_limit_is_invalid()
    {
        var deep = "[\"x\"," + new string('[', 40) + new string(']', 40) + "]";
        AreValid(deep, 1, maxDepth: 32).Should().BeFalse();
        AreValid(deep, 1, maxDepth: 64).Should().BeTrue();
    }

    [Fact]
    public void Large_depth_limits_are_supported()
    {
        var deep = "[\"x\"," + new string('[', 500) + "{\"_placeholder\":true,\"num\":1}" + new string(']', 500) + "]";
        AreValid(deep, 1, maxDepth: 1000).Should().BeFalse();
        AreValid(deep, 2, maxDepth: 1000).Should().BeTrue();
    }

    [Theory]
    [InlineData("0", 1, true, 0)]
    [InlineData("9", 10, true, 9)]
    [InlineData("10", 10, false, -1)]
    [InlineData("2.0", 3, true, 2)]
    [InlineData("2.5", 3, false, -1)]
    [InlineData("-1", 3, false, -1)]
    [InlineData("\"1\"", 3, false, -1)]
    public void Reading_an_attachment_index_accepts_only_integers_in_range(string json, int count, bool expected, int expectedIndex)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read().Should().BeTrue();

        JsonPlaceholders.TryGetAttachmentIndex(ref reader, count, out var index).Should().Be(expected);
        index.Should().Be(expectedIndex);
    }
}
