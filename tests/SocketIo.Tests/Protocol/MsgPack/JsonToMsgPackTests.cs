using System.Buffers;
using System.Text;
using System.Text.Json;
using SocketIo.Internal.Protocol.MsgPack;
using static SocketIo.Tests.Protocol.MsgPack.MsgPackTestBytes;

namespace SocketIo.Tests.Protocol.MsgPack;

public sealed class JsonToMsgPackTests
{
    private static byte[] ToMsgPack(string json, params byte[][] attachments)
    {
        ArrayBufferWriter<byte> output = new();
        ReadOnlyMemory<byte>[] memories = Array.ConvertAll(attachments, a => (ReadOnlyMemory<byte>)a);
        JsonToMsgPack.Write(Encoding.UTF8.GetBytes(json), memories, new MsgPackWriter(output), 65);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData("0", "00")]
    [InlineData("-0", "00")]
    [InlineData("-0.0", "00")]
    [InlineData("1.0", "01")]
    [InlineData("1e3", "cd03e8")]
    [InlineData("-33", "d0df")]
    [InlineData("1.5", "cb3ff8000000000000")]
    [InlineData("9223372036854775807", "cf7fffffffffffffff")]
    [InlineData("-9223372036854775808", "d38000000000000000")]
    [InlineData("18446744073709551615", "cfffffffffffffffff")]
    [InlineData("9007199254740993", "cf0020000000000001")]
    [InlineData("18446744073709551616", "cb43f0000000000000")]
    [InlineData("-9223372036854775809", "d38000000000000000")] // rounds to -2^63, as JSON.parse does
    [InlineData("-1e19", "cbc3e158e460913d00")]
    [InlineData("1e400", "cb7ff0000000000000")]
    [InlineData("-1e400", "cbfff0000000000000")]
    public void Numbers_follow_notepack_integral_as_int_else_float64(string json, string hex)
    {
        System.Convert.ToHexStringLower(ToMsgPack(json)).Should().Be(hex);
    }

    [Fact]
    public void Scalars_and_strings()
    {
        ToMsgPack("null").Should().Equal(0xc0);
        ToMsgPack("true").Should().Equal(0xc3);
        ToMsgPack("false").Should().Equal(0xc2);
        ToMsgPack("\"a\"").Should().Equal(0xa1, (byte)'a');
        ToMsgPack("\"\\u00e9\\n\\\"\\ud83c\\udf0d\"").Should().Equal(Write(w => w.WriteString("é\n\"🌍".AsSpan())));
        string longEscaped = "\"" + string.Concat(Enumerable.Repeat("\\u0041", 100)) + "\"";
        ToMsgPack(longEscaped).Should().Equal(Write(w => w.WriteString(new string('A', 100).AsSpan())));
    }

    [Fact]
    public void Escaped_property_names_are_unescaped()
    {
        ToMsgPack("{\"\\u0061\":1}").Should().Equal(0x81, 0xa1, (byte)'a', 0x01);
    }

    [Fact]
    public void Containers_use_their_element_counts_at_the_fix_boundaries()
    {
        string Array(int n) => "[" + string.Join(",", Enumerable.Repeat("0", n)) + "]";
        string Object(int n) => "{" + string.Join(",", Enumerable.Range(0, n).Select(i => $"\"k{i}\":[]")) + "}";

        ToMsgPack(Array(0)).Should().Equal(0x90);
        ToMsgPack(Array(15))[0].Should().Be(0x9f);
        ToMsgPack(Array(16)).Take(3).Should().Equal(0xdc, 0x00, 0x10);
        ToMsgPack(Array(65536)).Take(5).Should().Equal(0xdd, 0x00, 0x01, 0x00, 0x00);
        ToMsgPack(Object(0)).Should().Equal(0x80);
        ToMsgPack(Object(15))[0].Should().Be(0x8f);
        ToMsgPack(Object(16)).Take(3).Should().Equal(0xde, 0x00, 0x10);
        ToMsgPack(Object(65536)).Take(5).Should().Equal(0xdf, 0x00, 0x01, 0x00, 0x00);
    }

    [Fact]
    public void Nested_counts_stay_in_step()
    {
        byte[] expected = Write(w =>
        {
            w.WriteArrayHeader(3);
            w.WriteMapHeader(2);
            w.WriteString("a"u8);
            w.WriteArrayHeader(2);
            w.WriteInt64(1);
            w.WriteArrayHeader(0);
            w.WriteString("b"u8);
            w.WriteMapHeader(0);
            w.WriteArrayHeader(1);
            w.WriteNil();
            w.WriteInt64(2);
        });

        ToMsgPack("""[{"a":[1,[]],"b":{}},[null],2]""").Should().Equal(expected);
    }

    [Fact]
    public void Placeholders_become_bin_in_any_member_order()
    {
        byte[] expected = Write(w =>
        {
            w.WriteArrayHeader(3);
            w.WriteBinary([1, 2]);
            w.WriteBinary([3]);
            w.WriteMapHeader(1);
            w.WriteString("x"u8);
            w.WriteBinary([1, 2]);
        });

        ToMsgPack("""[{"_placeholder":true,"num":0},{"num":1,"_placeholder":true},{"x":{"_placeholder":true,"num":0}}]""", [1, 2], [3])
            .Should().Equal(expected);
    }

    [Fact]
    public void Containers_inside_a_placeholder_do_not_shift_the_counts_after_it()
    {
        byte[] expected = Write(w =>
        {
            w.WriteArrayHeader(2);
            w.WriteBinary([9]);
            w.WriteArrayHeader(1);
            w.WriteInt64(3);
        });

        ToMsgPack("""[{"_placeholder":true,"num":0,"extra":[1,{"y":2}]},[3]]""", [9]).Should().Equal(expected);
    }

    [Fact]
    public void An_object_is_a_placeholder_only_when_placeholder_is_true()
    {
        ToMsgPack("""{"_placeholder":false,"num":0}""").Should().Equal(Write(w =>
        {
            w.WriteMapHeader(2);
            w.WriteString("_placeholder"u8);
            w.WriteBoolean(false);
            w.WriteString("num"u8);
            w.WriteInt64(0);
        }));

        // As in JavaScript, the last of duplicate members wins.
        ToMsgPack("""{"_placeholder":true,"_placeholder":1,"num":0}""", [1])[0].Should().Be(0x83);
        ToMsgPack("""{"_placeholder":1,"_placeholder":true,"num":0}""", [1]).Should().Equal(0xc4, 0x01, 0x01);
    }

    [Theory]
    [InlineData("""{"_placeholder":true,"num":1}""")]
    [InlineData("""{"_placeholder":true,"num":-1}""")]
    [InlineData("""{"_placeholder":true,"num":0.5}""")]
    [InlineData("""{"_placeholder":true,"num":"0"}""")]
    [InlineData("""{"_placeholder":true}""")]
    public void A_placeholder_without_a_valid_attachment_index_throws(string json)
    {
        Action act = () => ToMsgPack(json, [1]);

        act.Should().Throw<ArgumentException>().WithMessage("illegal attachments*");
    }

    [Fact]
    public void Invalid_json_throws()
    {
        Action trailing = () => ToMsgPack("[1] 2");
        Action unclosed = () => ToMsgPack("[1,");

        trailing.Should().Throw<JsonException>();
        unclosed.Should().Throw<JsonException>();
    }

    [Theory]
    [InlineData("""["message",{"user":{"id":1,"name":"Zoë","tags":["a","b"]},"ok":true,"n":null,"f":-1.25}]""")]
    [InlineData("""{"_placeholder":false,"deep":[[[[{"a":[]}]]]]}""")]
    [InlineData("\"just a string\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Json_survives_a_round_trip_through_msgpack(string json)
    {
        byte[] msgpack = ToMsgPack(json);
        ArrayBufferWriter<byte> buffer = new();
        List<ReadOnlyMemory<byte>>? attachments = null;
        using (Utf8JsonWriter writer = new(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            MsgPackReader reader = new(msgpack);
            MsgPackToJson.TryConvert(ref reader, writer, ref attachments, 64, int.MaxValue, out string? error).Should().BeTrue(error);
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(json);
    }
}
