using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SocketIo.Internal.Protocol.MsgPack;
using static SocketIo.Tests.Protocol.MsgPack.MsgPackTestBytes;

namespace SocketIo.Tests.Protocol.MsgPack;

public sealed class MsgPackToJsonTests
{
    private sealed record Result(bool Ok, string Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments, string? Error, int Consumed);

    private static Result Convert(byte[] msgpack, int maxDepth = 64, int maxAttachments = int.MaxValue, bool timestampsAsDates = false)
    {
        ArrayBufferWriter<byte> buffer = new();
        List<ReadOnlyMemory<byte>>? attachments = null;
        bool ok;
        string? error;
        int consumed;
        using (Utf8JsonWriter writer = new(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            MsgPackReader reader = new(msgpack);
            ok = MsgPackToJson.TryConvert(ref reader, writer, ref attachments, maxDepth, maxAttachments, out error, timestampsAsDates);
            consumed = reader.Position;
        }

        return new Result(ok, Encoding.UTF8.GetString(buffer.WrittenSpan), attachments ?? [], error, consumed);
    }

    private static string Json(Action<MsgPackWriter> write)
    {
        Result result = Convert(Write(write));
        result.Ok.Should().BeTrue(result.Error);
        return result.Json;
    }

    [Fact]
    public void Scalars()
    {
        Json(w => w.WriteNil()).Should().Be("null");
        Json(w => w.WriteBoolean(true)).Should().Be("true");
        JsonDocument.Parse(Json(w => w.WriteString("héllo \"🌍\"\n"u8))).RootElement.GetString().Should().Be("héllo \"🌍\"\n");
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-1L, "-1")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(9007199254740993L, "9007199254740993")]
    public void Integers_are_written_exactly_as_integers(long value, string expected)
    {
        Json(w => w.WriteInt64(value)).Should().Be(expected);
    }

    [Fact]
    public void The_largest_uint64_is_written_exactly()
    {
        Json(w => w.WriteUInt64(ulong.MaxValue)).Should().Be("18446744073709551615");
    }

    [Fact]
    public void Floats_are_numbers_and_non_finite_ones_become_null_as_JSON_stringify_does()
    {
        Json(w => w.WriteFloat64(1.5)).Should().Be("1.5");
        Json(w => w.WriteFloat64(2.0)).Should().Be("2");
        Json(w => w.WriteFloat32(0.1f)).Should().Be("0.10000000149011612");
        Json(w => w.WriteFloat64(-0.0)).Should().Be("0");
        Json(w => w.WriteFloat64(double.NaN)).Should().Be("null");
        Json(w => w.WriteFloat64(double.PositiveInfinity)).Should().Be("null");
        Json(w => w.WriteFloat32(float.NegativeInfinity)).Should().Be("null");
        double.Parse(Json(w => w.WriteFloat64(1e300)), System.Globalization.CultureInfo.InvariantCulture).Should().Be(1e300);
    }

    [Fact]
    public void Binaries_become_numbered_placeholders_with_copied_attachments()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteArrayHeader(3);
            w.WriteBinary([1, 2]);
            w.WriteMapHeader(1);
            w.WriteString("b"u8);
            w.WriteBinary([]);
            w.WriteExtensionHeader(0, 3); // notepack's ArrayBuffer
            w.WriteRaw([7, 8, 9]);
        });

        Result result = Convert(msgpack);

        result.Ok.Should().BeTrue();
        result.Json.Should().Be("""[{"_placeholder":true,"num":0},{"b":{"_placeholder":true,"num":1}},{"_placeholder":true,"num":2}]""");
        result.Attachments.Select(a => a.ToArray()).Should().BeEquivalentTo(new[] { new byte[] { 1, 2 }, [], [7, 8, 9] }, o => o.WithStrictOrdering());
        msgpack[3] = 0xee;
        result.Attachments[0].Span[1].Should().Be(2, "attachments are copies, not views of the input");
    }

    [Fact]
    public void Undefined_is_null_in_arrays_and_dropped_from_maps()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteArrayHeader(2);
            w.WriteRaw(NotepackConventions.UndefinedBytes);
            w.WriteMapHeader(3);
            w.WriteString("a"u8);
            w.WriteRaw(NotepackConventions.UndefinedBytes);
            w.WriteString("b"u8);
            w.WriteInt64(1);
            w.WriteString("c"u8);
            w.WriteRaw(NotepackConventions.UndefinedBytes);
        });

        Convert(msgpack).Json.Should().Be("""[null,{"b":1}]""");
        Convert([.. NotepackConventions.UndefinedBytes]).Json.Should().Be("null");
    }

    [Fact]
    public void Dates_become_iso_strings_or_null_when_out_of_range()
    {
        static byte[] Date(long ms)
        {
            byte[] data = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(data, ms);
            return Write(w => w.WriteExtension(0, data));
        }

        Convert(Date(1700000000123)).Json.Should().Be("\"2023-11-14T22:13:20.123Z\"");
        Convert(Date(-62198755200000)).Json.Should().Be("\"-000001-01-01T00:00:00.000Z\"");
        Convert(Date(8_640_000_000_000_001)).Json.Should().Be("null");
    }

    [Theory]
    // timestamp 32: seconds only.
    [InlineData(new byte[] { 0xd6, 0xff, 0x65, 0x53, 0xf1, 0x00 }, "\"2023-11-14T22:13:20.000Z\"")]
    // timestamp 64: new Date(1700000000123) as notepack.io 3 encodes it (123,000,000 ns, 1,700,000,000 s).
    [InlineData(new byte[] { 0xd7, 0xff, 0x1d, 0x53, 0x53, 0x00, 0x65, 0x53, 0xf1, 0x00 }, "\"2023-11-14T22:13:20.123Z\"")]
    // timestamp 96: -1 s + 500,000,000 ns is -500 ms.
    [InlineData(new byte[] { 0xc7, 12, 0xff, 0x1d, 0xcd, 0x65, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "\"1969-12-31T23:59:59.500Z\"")]
    // timestamp 96: -1 s + 500,000,001 ns is -499.999999 ms, which Date truncates toward zero to -499.
    [InlineData(new byte[] { 0xc7, 12, 0xff, 0x1d, 0xcd, 0x65, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "\"1969-12-31T23:59:59.501Z\"")]
    // timestamp 96 beyond JavaScript's date range: an Invalid Date, which JSON.stringify writes as null.
    [InlineData(new byte[] { 0xc7, 12, 0xff, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "null")]
    public void Timestamp_extensions_become_iso_strings_with_milliseconds_on_the_notepack_3_wire(byte[] msgpack, string json)
    {
        Result result = Convert(msgpack, timestampsAsDates: true);

        result.Ok.Should().BeTrue(result.Error);
        result.Json.Should().Be(json);
        result.Attachments.Should().BeEmpty();

        // A client's socket.io-msgpack-parser (notepack.io 2.2) hands the same bytes over as [-1, Buffer].
        Convert(msgpack).Json.Should().StartWith("[-1,");
    }

    [Fact]
    public void Other_extensions_become_the_type_and_data_pair_notepack_returns()
    {
        Result result = Convert(Write(w => w.WriteExtension(-2, [0, 0, 0, 1])));

        result.Json.Should().Be("""[-2,{"_placeholder":true,"num":0}]""");
        result.Attachments.Single().ToArray().Should().Equal(0, 0, 0, 1);

        // Type 0 is only special as fixext 1 (undefined), fixext 8 (Date) and ext 8/16/32 (ArrayBuffer).
        Convert(Write(w => w.WriteExtension(0, [5, 6]))).Json.Should().Be("""[0,{"_placeholder":true,"num":0}]""");
    }

    [Fact]
    public void Map_keys_become_strings_as_JavaScript_property_keys_do()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteMapHeader(9);
            w.WriteInt64(1);
            w.WriteInt64(0);
            w.WriteInt64(-5);
            w.WriteInt64(1);
            w.WriteUInt64(ulong.MaxValue);
            w.WriteInt64(2);
            w.WriteFloat64(1.5);
            w.WriteInt64(3);
            w.WriteFloat64(1e21);
            w.WriteInt64(4);
            w.WriteNil();
            w.WriteInt64(5);
            w.WriteBoolean(false);
            w.WriteInt64(6);
            w.WriteRaw(NotepackConventions.UndefinedBytes);
            w.WriteInt64(7);
            w.WriteFloat64(double.NaN);
            w.WriteInt64(8);
        });

        Convert(msgpack).Json.Should().Be("""{"1":0,"-5":1,"18446744073709551615":2,"1.5":3,"1e+21":4,"null":5,"false":6,"undefined":7,"NaN":8}""");
    }

    [Fact]
    public void Duplicate_keys_are_kept_in_order()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteMapHeader(2);
            w.WriteString("a"u8);
            w.WriteInt64(1);
            w.WriteString("a"u8);
            w.WriteInt64(2);
        });

        Convert(msgpack).Json.Should().Be("""{"a":1,"a":2}""");
    }

    [Theory]
    [InlineData("array")]
    [InlineData("map")]
    [InlineData("bin")]
    [InlineData("ext")]
    [InlineData("date")]
    public void Container_binary_and_extension_keys_are_refused(string kind)
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteMapHeader(1);
            switch (kind)
            {
                case "array":
                    w.WriteArrayHeader(0);
                    break;
                case "map":
                    w.WriteMapHeader(0);
                    break;
                case "bin":
                    w.WriteBinary([1]);
                    break;
                case "ext":
                    w.WriteExtension(3, [1]);
                    break;
                default:
                    w.WriteExtension(0, new byte[8]);
                    break;
            }

            w.WriteInt64(1);
        });

        Result result = Convert(msgpack);

        result.Ok.Should().BeFalse();
        result.Error.Should().Contain("map key");
    }

    [Fact]
    public void Depth_counts_like_a_json_reader_including_placeholders()
    {
        Convert(NestedArrays(3), maxDepth: 3).Ok.Should().BeTrue();
        Convert(NestedArrays(4), maxDepth: 3).Error.Should().Contain("nested deeper than 3");

        // [[bin]]: the placeholder object is a third level.
        byte[] binaryAtTwo = Write(w =>
        {
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(1);
            w.WriteBinary([1]);
        });
        Convert(binaryAtTwo, maxDepth: 3).Ok.Should().BeTrue();
        Convert(binaryAtTwo, maxDepth: 2).Ok.Should().BeFalse();

        // [ext]: [type, placeholder] adds two levels.
        byte[] extAtOne = Write(w =>
        {
            w.WriteArrayHeader(1);
            w.WriteExtension(5, [1]);
        });
        Convert(extAtOne, maxDepth: 3).Ok.Should().BeTrue();
        Convert(extAtOne, maxDepth: 2).Ok.Should().BeFalse();
    }

    [Fact]
    public void One_hundred_thousand_nested_levels_are_refused_without_recursion()
    {
        Result result = Convert(NestedArrays(100_000));

        result.Ok.Should().BeFalse();
        result.Error.Should().Contain("nested deeper than 64");
    }

    [Fact]
    public void Attachments_beyond_the_limit_are_refused()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteArrayHeader(3);
            w.WriteBinary([1]);
            w.WriteBinary([2]);
            w.WriteBinary([3]);
        });

        Convert(msgpack, maxAttachments: 3).Ok.Should().BeTrue();
        Convert(msgpack, maxAttachments: 2).Error.Should().Contain("more than 2 binary values");
    }

    [Fact]
    public void Exactly_one_value_is_consumed()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteArrayHeader(1);
            w.WriteInt64(1);
            w.WriteInt64(2);
        });

        Result result = Convert(msgpack);

        result.Json.Should().Be("[1]");
        result.Consumed.Should().Be(2);
    }

    [Fact]
    public void Broken_input_inside_a_structure_is_reported()
    {
        byte[] msgpack = Write(w =>
        {
            w.WriteMapHeader(1);
            w.WriteString("k"u8);
            w.WriteArrayHeader(2);
            w.WriteInt64(1);
            w.WriteRaw([0xc1]);
        });

        Result result = Convert(msgpack);

        result.Ok.Should().BeFalse();
        result.Error.Should().Contain("0xc1");
    }
}
