using System.Text;
using SocketIo.Internal.Protocol;

namespace SocketIo.Tests.Protocol;

public sealed class JsonPayloadValidatorTests
{
    private static bool IsValid(PacketType type, string json, int maxDepth = DecoderLimits.DefaultMaxDepth) =>
        JsonPayloadValidator.IsValid(type, Encoding.UTF8.GetBytes(json), maxDepth);

    [Theory]
    [InlineData((int)PacketType.Connect, true)]
    [InlineData((int)PacketType.Disconnect, true)]
    [InlineData((int)PacketType.Event, false)]
    [InlineData((int)PacketType.Ack, false)]
    [InlineData((int)PacketType.ConnectError, false)]
    [InlineData((int)PacketType.BinaryEvent, false)]
    [InlineData((int)PacketType.BinaryAck, false)]
    public void Only_connect_and_disconnect_may_have_no_payload(int type, bool expected)
    {
        IsValid((PacketType)type, "").Should().Be(expected);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{\"token\":\"123\"}", true)]
    [InlineData(" {\"a\":[1,{\"b\":null}]} ", true)]
    [InlineData("[]", false)]
    [InlineData("\"invalid\"", false)]
    [InlineData("null", false)]
    [InlineData("1", false)]
    [InlineData("true", false)]
    public void Connect_accepts_only_an_object(string json, bool expected)
    {
        IsValid(PacketType.Connect, json).Should().Be(expected);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("\"reason\"")]
    [InlineData("null")]
    public void Disconnect_accepts_no_payload_at_all(string json)
    {
        IsValid(PacketType.Disconnect, json).Should().BeFalse();
    }

    [Theory]
    [InlineData("{\"message\":\"Not authorized\"}", true)]
    [InlineData("\"Unauthorized\"", true)]
    [InlineData("[]", false)]
    [InlineData("42", false)]
    [InlineData("null", false)]
    [InlineData("false", false)]
    public void Connect_error_accepts_an_object_or_a_string(string json, bool expected)
    {
        IsValid(PacketType.ConnectError, json).Should().Be(expected);
    }

    [Theory]
    [InlineData((int)PacketType.Event)]
    [InlineData((int)PacketType.BinaryEvent)]
    public void Events_accept_an_array_starting_with_a_name_or_a_number(int type)
    {
        IsValid((PacketType)type, "[\"hello\",1]").Should().BeTrue();
        IsValid((PacketType)type, "[\"hello\"]").Should().BeTrue();
        IsValid((PacketType)type, "[1,\"a\",{}]").Should().BeTrue();
        IsValid((PacketType)type, "[-1.5e3]").Should().BeTrue();
        IsValid((PacketType)type, "[\"\"]").Should().BeTrue();
        IsValid((PacketType)type, "[\"hello\",{\"_placeholder\":true,\"num\":0}]").Should().BeTrue();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"invalid\"")]
    [InlineData("[{\"toString\":\"foo\"}]")]
    [InlineData("[true,\"foo\"]")]
    [InlineData("[false]")]
    [InlineData("[null,\"bar\"]")]
    [InlineData("[[\"nested\"]]")]
    public void Events_refuse_anything_but_a_named_array(string json)
    {
        IsValid(PacketType.Event, json).Should().BeFalse();
        IsValid(PacketType.BinaryEvent, json).Should().BeFalse();
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void Events_refuse_reserved_names(string name)
    {
        IsValid(PacketType.Event, $"[\"{name}\",\"123\"]").Should().BeFalse();
        IsValid(PacketType.BinaryEvent, $"[\"{name}\"]").Should().BeFalse();
    }

    [Fact]
    public void Events_refuse_reserved_names_written_with_escapes()
    {
        IsValid(PacketType.Event, "[\"\\u0063onnect\"]").Should().BeFalse();
        IsValid(PacketType.Event, "[\"disconnect\\u0069ng\"]").Should().BeFalse();
    }

    [Theory]
    [InlineData("error")]
    [InlineData("Connect")]
    [InlineData("connect ")]
    [InlineData("connection")]
    [InlineData("message")]
    public void Events_accept_names_that_are_not_reserved_including_error(string name)
    {
        // The reference parser does not reserve "error"; neither do we.
        IsValid(PacketType.Event, $"[\"{name}\"]").Should().BeTrue();
    }

    [Theory]
    [InlineData((int)PacketType.Ack)]
    [InlineData((int)PacketType.BinaryAck)]
    public void Acks_accept_any_array(int type)
    {
        IsValid((PacketType)type, "[]").Should().BeTrue();
        IsValid((PacketType)type, "[\"a\",1,{}]").Should().BeTrue();
        IsValid((PacketType)type, "[null]").Should().BeTrue();
        IsValid((PacketType)type, "[\"connect\"]").Should().BeTrue();
        IsValid((PacketType)type, "{}").Should().BeFalse();
        IsValid((PacketType)type, "\"x\"").Should().BeFalse();
        IsValid((PacketType)type, "null").Should().BeFalse();
    }

    [Theory]
    [InlineData("[\"some\",\"data\"")]
    [InlineData("[\"invalid]")]
    [InlineData("abc[\"message\"]")]
    [InlineData("[\"a\",]")]
    [InlineData("[\"a\"] // comment")]
    [InlineData("[\"a\"][\"b\"]")]
    [InlineData("[\"a\"]x")]
    [InlineData("['a']")]
    [InlineData("[\"a\",undefined]")]
    [InlineData("[\"a\",NaN]")]
    [InlineData("[\"a\",01]")]
    [InlineData("[\"a\",\"\\x41\"]")]
    [InlineData("[\"a\",\"tab\there\"]")]
    [InlineData("   ")]
    [InlineData("\uFEFF[\"a\"]")]
    public void Malformed_json_is_refused(string json)
    {
        IsValid(PacketType.Event, json).Should().BeFalse();
        IsValid(PacketType.Ack, json).Should().BeFalse();
    }

    [Fact]
    public void Malformed_json_is_refused_even_after_a_valid_first_token()
    {
        IsValid(PacketType.Connect, "{\"a\":}").Should().BeFalse();
        IsValid(PacketType.ConnectError, "\"x\" \"y\"").Should().BeFalse();
        IsValid(PacketType.Ack, "[1,2").Should().BeFalse();
    }

    [Fact]
    public void Whitespace_around_the_json_is_allowed_as_with_json_parse()
    {
        IsValid(PacketType.Event, " \t\r\n[\"a\"] \n").Should().BeTrue();
    }

    [Fact]
    public void Escaped_lone_surrogates_are_accepted_as_json_parse_does()
    {
        IsValid(PacketType.Event, "[\"\\ud800\"]").Should().BeTrue();
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        IsValid(PacketType.Event, Nested(depth: 32), maxDepth: 32).Should().BeTrue();
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused()
    {
        IsValid(PacketType.Event, Nested(depth: 33), maxDepth: 32).Should().BeFalse();
        IsValid(PacketType.Event, Nested(depth: 100_000), maxDepth: 32).Should().BeFalse();
    }

    [Fact]
    public void The_depth_limit_is_configurable()
    {
        IsValid(PacketType.Event, Nested(depth: 3), maxDepth: 2).Should().BeFalse();
        IsValid(PacketType.Event, Nested(depth: 100), maxDepth: 100).Should().BeTrue();
    }

    /// <summary>An event whose payload nests arrays <paramref name="depth"/> levels deep, the event array included.</summary>
    private static string Nested(int depth) =>
        "[\"deep\"," + new string('[', depth - 1) + new string(']', depth - 1) + "]";
}
