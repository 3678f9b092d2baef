using System.Text;
using SocketIo.Internal.Protocol.MsgPack;
using static SocketIo.Tests.Protocol.MsgPack.MsgPackTestBytes;

namespace SocketIo.Tests.Protocol.MsgPack;

/// <summary>Every msgpack format family written by <see cref="MsgPackWriter"/> and read back by <see cref="MsgPackReader"/>, at the boundaries between encodings.</summary>
public sealed class MsgPackRoundTripTests
{
    [Fact]
    public void Nil_and_booleans()
    {
        byte[] bytes = Write(w =>
        {
            w.WriteNil();
            w.WriteBoolean(true);
            w.WriteBoolean(false);
        });
        bytes.Should().Equal(0xc0, 0xc3, 0xc2);

        MsgPackReader reader = new(bytes);
        reader.TryReadNil().Should().BeTrue();
        reader.TryReadBoolean(out bool t).Should().BeTrue();
        reader.TryReadBoolean(out bool f).Should().BeTrue();
        (t, f).Should().Be((true, false));
        reader.IsAtEnd.Should().BeTrue();
    }

    [Theory]
    [InlineData(0L, 0x00, 1)]
    [InlineData(1L, 0x01, 1)]
    [InlineData(127L, 0x7f, 1)]
    [InlineData(128L, 0xcc, 2)]
    [InlineData(255L, 0xcc, 2)]
    [InlineData(256L, 0xcd, 3)]
    [InlineData(65535L, 0xcd, 3)]
    [InlineData(65536L, 0xce, 5)]
    [InlineData(4294967295L, 0xce, 5)]
    [InlineData(4294967296L, 0xcf, 9)]
    [InlineData(long.MaxValue, 0xcf, 9)]
    [InlineData(-1L, 0xff, 1)]
    [InlineData(-32L, 0xe0, 1)]
    [InlineData(-33L, 0xd0, 2)]
    [InlineData(-128L, 0xd0, 2)]
    [InlineData(-129L, 0xd1, 3)]
    [InlineData(-32768L, 0xd1, 3)]
    [InlineData(-32769L, 0xd2, 5)]
    [InlineData(-2147483648L, 0xd2, 5)]
    [InlineData(-2147483649L, 0xd3, 9)]
    [InlineData(long.MinValue, 0xd3, 9)]
    public void Integers_use_the_smallest_encoding_and_round_trip(long value, byte code, int length)
    {
        byte[] bytes = Write(w => w.WriteInt64(value));

        bytes.Should().HaveCount(length);
        bytes[0].Should().Be(code);
        MsgPackReader reader = new(bytes);
        reader.TryRead(out MsgPackToken token).Should().BeTrue();
        token.Kind.Should().Be(MsgPackTokenKind.Integer);
        token.Code.Should().Be(code);
        token.TryGetInt64(out long read).Should().BeTrue();
        read.Should().Be(value);
        token.IsNegative.Should().Be(value < 0);
        token.TryGetUInt64(out _).Should().Be(value >= 0);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(9223372036854775808UL, 9)]
    [InlineData(ulong.MaxValue, 9)]
    public void Unsigned_integers_round_trip(ulong value, int length)
    {
        byte[] bytes = Write(w => w.WriteUInt64(value));

        bytes.Should().HaveCount(length);
        MsgPackReader reader = new(bytes);
        reader.TryReadUInt64(out ulong read).Should().BeTrue();
        read.Should().Be(value);
    }

    [Fact]
    public void An_unsigned_value_beyond_long_is_refused_by_TryReadInt64_without_moving()
    {
        byte[] bytes = Write(w => w.WriteUInt64(ulong.MaxValue));
        MsgPackReader reader = new(bytes);

        reader.TryReadInt64(out _).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.UnexpectedType);
        reader.Position.Should().Be(0);
        reader.TryReadUInt64(out ulong value).Should().BeTrue();
        value.Should().Be(ulong.MaxValue);
    }

    [Theory]
    [InlineData(new byte[] { 0xcc, 0x05 }, 5L)]
    [InlineData(new byte[] { 0xcd, 0x00, 0x05 }, 5L)]
    [InlineData(new byte[] { 0xce, 0x00, 0x00, 0x00, 0x05 }, 5L)]
    [InlineData(new byte[] { 0xcf, 0, 0, 0, 0, 0, 0, 0, 0x05 }, 5L)]
    [InlineData(new byte[] { 0xd0, 0x05 }, 5L)]
    [InlineData(new byte[] { 0xd1, 0xff, 0xfb }, -5L)]
    [InlineData(new byte[] { 0xd2, 0xff, 0xff, 0xff, 0xfb }, -5L)]
    [InlineData(new byte[] { 0xd3, 0, 0, 0, 0, 0, 0, 0, 0x05 }, 5L)]
    public void Integers_in_a_wider_encoding_than_needed_are_read(byte[] bytes, long expected)
    {
        MsgPackReader reader = new(bytes);

        reader.TryReadInt64(out long value).Should().BeTrue();
        value.Should().Be(expected);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Fact]
    public void Float32_and_float64_are_distinct_encodings()
    {
        byte[] single = Write(w => w.WriteFloat32(0.1f));
        byte[] @double = Write(w => w.WriteFloat64(0.1));

        single.Should().HaveCount(5).And.StartWith(new byte[] { 0xca });
        @double.Should().HaveCount(9).And.StartWith(new byte[] { 0xcb });
        new MsgPackReader(single).TryReadDouble(out double widened).Should().BeTrue();
        widened.Should().Be((double)0.1f).And.NotBe(0.1);
        new MsgPackReader(@double).TryReadDouble(out double exact).Should().BeTrue();
        exact.Should().Be(0.1);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(-0.0)]
    public void Special_doubles_round_trip(double value)
    {
        MsgPackReader reader = new(Write(w => w.WriteFloat64(value)));

        reader.TryReadDouble(out double read).Should().BeTrue();
        BitConverter.DoubleToInt64Bits(read).Should().Be(BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void A_float_is_not_read_as_an_integer_nor_an_integer_as_a_float()
    {
        MsgPackReader reader = new(Write(w => w.WriteFloat64(1)));
        reader.TryReadInt64(out _).Should().BeFalse();
        reader.TryReadDouble(out _).Should().BeTrue();

        reader = new MsgPackReader(Write(w => w.WriteInt64(1)));
        reader.TryReadDouble(out _).Should().BeFalse();
        reader.Position.Should().Be(0);
    }

    [Theory]
    [InlineData(0, 0xa0, 1)]
    [InlineData(31, 0xbf, 1)]
    [InlineData(32, 0xd9, 2)]
    [InlineData(255, 0xd9, 2)]
    [InlineData(256, 0xda, 3)]
    [InlineData(65535, 0xda, 3)]
    [InlineData(65536, 0xdb, 5)]
    public void Strings_round_trip_at_every_length_boundary(int length, byte code, int headerLength)
    {
        string text = new('s', length);
        byte[] bytes = Write(w => w.WriteString(text.AsSpan()));

        bytes.Should().HaveCount(headerLength + length);
        bytes[0].Should().Be(code);
        MsgPackReader reader = new(bytes);
        reader.TryReadString(out ReadOnlySpan<byte> utf8).Should().BeTrue();
        Encoding.UTF8.GetString(utf8).Should().Be(text);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Fact]
    public void Strings_are_utf8_whether_written_from_chars_or_bytes()
    {
        const string text = "héllo wörld ✓ 🌍 日本語";
        byte[] fromChars = Write(w => w.WriteString(text.AsSpan()));
        byte[] fromBytes = Write(w => w.WriteString(Encoding.UTF8.GetBytes(text)));

        fromChars.Should().Equal(fromBytes);
        new MsgPackReader(fromChars).TryReadString(out ReadOnlySpan<byte> utf8).Should().BeTrue();
        Encoding.UTF8.GetString(utf8).Should().Be(text);
    }

    [Theory]
    [InlineData(0, 0xc4, 2)]
    [InlineData(255, 0xc4, 2)]
    [InlineData(256, 0xc5, 3)]
    [InlineData(65535, 0xc5, 3)]
    [InlineData(65536, 0xc6, 5)]
    public void Binaries_round_trip_at_every_length_boundary(int length, byte code, int headerLength)
    {
        byte[] payload = new byte[length];
        new Random(length).NextBytes(payload);
        byte[] bytes = Write(w => w.WriteBinary(payload));

        bytes.Should().HaveCount(headerLength + length);
        bytes[0].Should().Be(code);
        MsgPackReader reader = new(bytes);
        reader.TryReadBinary(out ReadOnlySpan<byte> read).Should().BeTrue();
        read.ToArray().Should().Equal(payload);
    }

    [Fact]
    public void A_string_is_not_read_as_binary()
    {
        MsgPackReader reader = new(Write(w => w.WriteString("x"u8)));

        reader.TryReadBinary(out _).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.UnexpectedType);
        reader.TryReadString(out _).Should().BeTrue();
    }

    [Theory]
    [InlineData(0, 0x90, 1)]
    [InlineData(15, 0x9f, 1)]
    [InlineData(16, 0xdc, 3)]
    [InlineData(65535, 0xdc, 3)]
    [InlineData(65536, 0xdd, 5)]
    public void Arrays_round_trip_at_every_count_boundary(int count, byte code, int headerLength)
    {
        byte[] bytes = Write(w =>
        {
            w.WriteArrayHeader(count);
            for (int i = 0; i < count; i++)
            {
                w.WriteInt64(i % 100);
            }
        });

        bytes[0].Should().Be(code);
        MsgPackReader reader = new(bytes);
        reader.TryReadArrayHeader(out int read).Should().BeTrue();
        read.Should().Be(count);
        reader.Position.Should().Be(headerLength);
        for (int i = 0; i < count; i++)
        {
            reader.TryReadInt64(out long value).Should().BeTrue();
            value.Should().Be(i % 100);
        }

        reader.IsAtEnd.Should().BeTrue();
    }

    [Theory]
    [InlineData(0, 0x80, 1)]
    [InlineData(15, 0x8f, 1)]
    [InlineData(16, 0xde, 3)]
    [InlineData(65535, 0xde, 3)]
    [InlineData(65536, 0xdf, 5)]
    public void Maps_round_trip_at_every_count_boundary(int count, byte code, int headerLength)
    {
        byte[] bytes = Write(w =>
        {
            w.WriteMapHeader(count);
            for (int i = 0; i < count; i++)
            {
                w.WriteInt64(i);
                w.WriteBoolean(i % 2 == 0);
            }
        });

        bytes[0].Should().Be(code);
        MsgPackReader reader = new(bytes);
        reader.TryReadMapHeader(out int read).Should().BeTrue();
        read.Should().Be(count);
        reader.Position.Should().Be(headerLength);
        for (int i = 0; i < count; i++)
        {
            reader.TryReadInt64(out long key).Should().BeTrue();
            key.Should().Be(i);
            reader.TryReadBoolean(out bool value).Should().BeTrue();
            value.Should().Be(i % 2 == 0);
        }

        reader.IsAtEnd.Should().BeTrue();
    }

    [Theory]
    [InlineData(1, 0xd4, 2)]
    [InlineData(2, 0xd5, 2)]
    [InlineData(4, 0xd6, 2)]
    [InlineData(8, 0xd7, 2)]
    [InlineData(16, 0xd8, 2)]
    [InlineData(0, 0xc7, 3)]
    [InlineData(3, 0xc7, 3)]
    [InlineData(17, 0xc7, 3)]
    [InlineData(255, 0xc7, 3)]
    [InlineData(256, 0xc8, 4)]
    [InlineData(65535, 0xc8, 4)]
    [InlineData(65536, 0xc9, 6)]
    public void Extensions_round_trip_in_every_size(int length, byte code, int headerLength)
    {
        byte[] payload = new byte[length];
        new Random(length).NextBytes(payload);
        byte[] bytes = Write(w => w.WriteExtension(-7, payload));

        bytes.Should().HaveCount(headerLength + length);
        bytes[0].Should().Be(code);
        MsgPackReader reader = new(bytes);
        reader.TryReadExtension(out sbyte type, out ReadOnlySpan<byte> data).Should().BeTrue();
        type.Should().Be(-7);
        data.ToArray().Should().Equal(payload);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Fact]
    public void An_extension_header_is_never_a_fixext()
    {
        byte[] bytes = Write(w =>
        {
            w.WriteExtensionHeader(0, 4);
            w.WriteRaw([1, 2, 3, 4]);
        });

        bytes.Should().Equal(0xc7, 4, 0, 1, 2, 3, 4);
        MsgPackReader reader = new(bytes);
        reader.TryRead(out MsgPackToken token).Should().BeTrue();
        NotepackConventions.IsArrayBuffer(token).Should().BeTrue();
    }

    [Fact]
    public void TrySkip_skips_nested_values_whole()
    {
        byte[] bytes = Write(w =>
        {
            w.WriteMapHeader(2);
            w.WriteString("a"u8);
            w.WriteArrayHeader(3);
            w.WriteInt64(1);
            w.WriteMapHeader(1);
            w.WriteNil();
            w.WriteBinary([1, 2]);
            w.WriteArrayHeader(0);
            w.WriteString("b"u8);
            w.WriteExtension(3, [9]);
            w.WriteInt64(42);
        });
        MsgPackReader reader = new(bytes);

        reader.TrySkip(maxDepth: 3).Should().BeTrue();
        reader.TryReadInt64(out long after).Should().BeTrue();
        after.Should().Be(42);
    }

    [Fact]
    public void TrySkip_counts_the_outermost_container_as_one_level()
    {
        byte[] threeDeep = NestedArrays(3);

        new MsgPackReader(threeDeep).TrySkip(3).Should().BeTrue();
        MsgPackReader reader = new(threeDeep);
        reader.TrySkip(2).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.DepthExceeded);
        reader.Position.Should().Be(0);
        new MsgPackReader(new byte[] { 0x01 }).TrySkip(0).Should().BeTrue();
    }
}
