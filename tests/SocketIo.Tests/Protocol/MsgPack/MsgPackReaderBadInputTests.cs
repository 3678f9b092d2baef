using System.Diagnostics;
using SocketIo.Internal.Protocol.MsgPack;
using static SocketIo.Tests.Protocol.MsgPack.MsgPackTestBytes;

namespace SocketIo.Tests.Protocol.MsgPack;

/// <summary><see cref="MsgPackReader"/> on hostile or broken input: it refuses, reports why, stays put and never throws.</summary>
public sealed class MsgPackReaderBadInputTests
{
    [Fact]
    public void Empty_input_is_truncated()
    {
        MsgPackReader reader = new(Array.Empty<byte>());

        reader.TryRead(out _).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.Truncated);
        reader.DescribeError().Should().Contain("truncated");
    }

    [Fact]
    public void The_reserved_byte_0xc1_is_refused()
    {
        MsgPackReader reader = new(new byte[] { 0xc1 });

        reader.TryRead(out _).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.ReservedCode);
        reader.Position.Should().Be(0);
    }

    public static TheoryData<byte[]> ValidValuesOfEveryFormat() =>
    [
        Write(w => w.WriteInt64(200)),
        Write(w => w.WriteInt64(40000)),
        Write(w => w.WriteInt64(3_000_000_000)),
        Write(w => w.WriteUInt64(ulong.MaxValue)),
        Write(w => w.WriteInt64(-100)),
        Write(w => w.WriteInt64(-1000)),
        Write(w => w.WriteInt64(-100_000)),
        Write(w => w.WriteInt64(long.MinValue)),
        Write(w => w.WriteFloat32(1.5f)),
        Write(w => w.WriteFloat64(1.5)),
        Write(w => w.WriteString("abc"u8)),
        Write(w => w.WriteString(new string('x', 40).AsSpan())),
        Write(w => w.WriteString(new string('x', 300).AsSpan())),
        Write(w => w.WriteString(new string('x', 70_000).AsSpan())),
        Write(w => w.WriteBinary(new byte[3])),
        Write(w => w.WriteBinary(new byte[300])),
        Write(w => w.WriteBinary(new byte[70_000])),
        Write(w => w.WriteExtension(1, new byte[1])),
        Write(w => w.WriteExtension(1, new byte[2])),
        Write(w => w.WriteExtension(1, new byte[4])),
        Write(w => w.WriteExtension(1, new byte[8])),
        Write(w => w.WriteExtension(1, new byte[16])),
        Write(w => w.WriteExtension(1, new byte[5])),
        Write(w => w.WriteExtension(1, new byte[300])),
        Write(w => w.WriteExtension(1, new byte[70_000])),
    ];

    [Theory]
    [MemberData(nameof(ValidValuesOfEveryFormat))]
    public void A_value_cut_short_anywhere_is_refused_without_moving(byte[] value)
    {
        new MsgPackReader(value).TryRead(out _).Should().BeTrue();
        for (int length = 0; length < value.Length; length++)
        {
            MsgPackReader reader = new(value.AsMemory(0, length));

            reader.TryRead(out _).Should().BeFalse($"{length} of {value.Length} bytes");
            reader.Error.Should().BeOneOf(MsgPackError.Truncated, MsgPackError.LengthExceedsInput);
            reader.Position.Should().Be(0);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xc0, 0xc0 })] // array 32: 4,294,967,295 elements
    [InlineData(new byte[] { 0xdc, 0xff, 0xff, 0xc0, 0xc0 })] // array 16: 65,535 elements
    [InlineData(new byte[] { 0x9f, 0xc0 })] // fixarray: 15 elements
    [InlineData(new byte[] { 0xdf, 0x80, 0x00, 0x00, 0x00, 0xc0, 0xc0 })] // map 32: 2^31 pairs
    [InlineData(new byte[] { 0xde, 0x00, 0x02, 0xc0, 0xc0, 0xc0 })] // map 16: 2 pairs need 4 bytes
    [InlineData(new byte[] { 0x81, 0xc0 })] // fixmap: 1 pair needs 2 bytes
    [InlineData(new byte[] { 0xdb, 0xff, 0xff, 0xff, 0xff, 0x61 })] // str 32: 4 GiB
    [InlineData(new byte[] { 0xc6, 0xff, 0xff, 0xff, 0xff, 0x00 })] // bin 32: 4 GiB
    [InlineData(new byte[] { 0xc9, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00 })] // ext 32: 4 GiB
    [InlineData(new byte[] { 0xd9, 0x05, 0x61, 0x62 })] // str 8: 5 bytes, 2 present
    [InlineData(new byte[] { 0xa5, 0x61 })] // fixstr: 5 bytes, 1 present
    public void Declared_lengths_beyond_the_input_are_refused_at_once(byte[] bytes)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Stopwatch clock = Stopwatch.StartNew();

        MsgPackReader reader = new(bytes);
        bool read = reader.TryRead(out _);

        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        read.Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.LengthExceedsInput);
        reader.Position.Should().Be(0);
        allocated.Should().BeLessThan(1024);
        clock.ElapsedMilliseconds.Should().BeLessThan(100);
    }

    [Theory]
    [InlineData(new byte[] { 0xa1, 0xff })] // never valid in UTF-8
    [InlineData(new byte[] { 0xa2, 0xc0, 0x80 })] // overlong NUL
    [InlineData(new byte[] { 0xa3, 0xed, 0xa0, 0x80 })] // a UTF-16 surrogate, encoded
    [InlineData(new byte[] { 0xa1, 0xe2 })] // a 3-byte sequence cut after its first byte
    [InlineData(new byte[] { 0xa2, 0x80, 0x80 })] // continuation bytes without a lead
    [InlineData(new byte[] { 0xa4, 0xf4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    public void Strings_that_are_not_utf8_are_refused(byte[] bytes)
    {
        MsgPackReader reader = new(bytes);

        reader.TryRead(out _).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.InvalidUtf8);
        reader.Position.Should().Be(0);
    }

    [Fact]
    public void Binary_may_hold_any_bytes()
    {
        MsgPackReader reader = new(new byte[] { 0xc4, 0x02, 0xff, 0xc1 });

        reader.TryReadBinary(out ReadOnlySpan<byte> bytes).Should().BeTrue();
        bytes.ToArray().Should().Equal(0xff, 0xc1);
    }

    [Fact]
    public void Skipping_100_thousand_nested_arrays_stops_at_the_depth_limit()
    {
        byte[] bytes = NestedArrays(100_000);
        MsgPackReader reader = new(bytes);

        reader.TrySkip(64).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.DepthExceeded);
        reader.Position.Should().Be(0);
    }

    [Fact]
    public void Skipping_100_thousand_nested_maps_stops_at_the_depth_limit()
    {
        // {"": {"": {"": ...}}}
        byte[] bytes = new byte[(100_000 * 2) + 1];
        for (int i = 0; i < 100_000; i++)
        {
            bytes[2 * i] = 0x81;
            bytes[(2 * i) + 1] = 0xa0;
        }

        bytes[^1] = 0xc0;
        MsgPackReader reader = new(bytes);

        reader.TrySkip(64).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.DepthExceeded);
    }

    [Fact]
    public void Skipping_may_nest_deeper_than_the_stack_buffer_when_allowed()
    {
        byte[] bytes = NestedArrays(1000);

        new MsgPackReader(bytes).TrySkip(1000).Should().BeTrue();
        new MsgPackReader(bytes).TrySkip(999).Should().BeFalse();
    }

    [Fact]
    public void Skipping_a_broken_nested_value_restores_the_position()
    {
        byte[] bytes = [0x92, 0x01, 0xa3, 0x61]; // [1, "a.." cut short]
        MsgPackReader reader = new(bytes);

        reader.TrySkip(8).Should().BeFalse();
        reader.Error.Should().Be(MsgPackError.LengthExceedsInput);
        reader.Position.Should().Be(0);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Random random = new(12345);
        byte[] buffer = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            MsgPackReader reader = new(buffer.AsMemory(0, random.Next(buffer.Length + 1)));
            while (reader.TrySkip(16))
            {
                if (reader.IsAtEnd)
                {
                    break;
                }
            }
        }
    }
}
