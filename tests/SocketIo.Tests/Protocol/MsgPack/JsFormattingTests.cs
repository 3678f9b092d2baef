using System.Text;
using SocketIo.Internal.Protocol.MsgPack;

namespace SocketIo.Tests.Protocol.MsgPack;

/// <summary>JavaScript's number and date text, as Node prints them (<c>String(n)</c>, <c>new Date(ms).toISOString()</c>).</summary>
public sealed class JsFormattingTests
{
    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1e-7, "-1e-7")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.2345678901234568e20, "123456789012345680000")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(100.0, "100")]
    [InlineData(0.000001234, "0.000001234")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(-0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(123.456e-10, "1.23456e-8")]
    [InlineData(4.35, "4.35")]
    [InlineData(1e300, "1e+300")]
    [InlineData(18446744073709551616.0, "18446744073709552000")]
    public void Numbers_print_as_in_JavaScript(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[JsNumber.MaxFormattedLength];

        JsNumber.TryFormat(value, buffer, out int written).Should().BeTrue();
        Encoding.ASCII.GetString(buffer[..written]).Should().Be(expected);
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000Z")]
    [InlineData(1700000000123L, "2023-11-14T22:13:20.123Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999Z")]
    [InlineData(-62198755200000L, "-000001-01-01T00:00:00.000Z")]
    [InlineData(8640000000000000L, "+275760-09-13T00:00:00.000Z")]
    [InlineData(-8640000000000000L, "-271821-04-20T00:00:00.000Z")]
    [InlineData(253402300800000L, "+010000-01-01T00:00:00.000Z")]
    [InlineData(253402300799999L, "9999-12-31T23:59:59.999Z")]
    [InlineData(-62167219200000L, "0000-01-01T00:00:00.000Z")]
    [InlineData(-62167219200001L, "-000001-12-31T23:59:59.999Z")]
    [InlineData(951782400000L, "2000-02-29T00:00:00.000Z")]
    [InlineData(4107542400000L, "2100-03-01T00:00:00.000Z")]
    public void Dates_print_as_toISOString(long milliseconds, string expected)
    {
        Span<byte> buffer = stackalloc byte[JsDate.MaxFormattedLength];

        JsDate.TryFormatIso(milliseconds, buffer, out int written).Should().BeTrue();
        Encoding.ASCII.GetString(buffer[..written]).Should().Be(expected);
    }

    [Theory]
    [InlineData(8640000000000001L)]
    [InlineData(-8640000000000001L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Times_outside_the_JavaScript_range_are_invalid_dates(long milliseconds)
    {
        Span<byte> buffer = stackalloc byte[JsDate.MaxFormattedLength];

        JsDate.TryFormatIso(milliseconds, buffer, out _).Should().BeFalse();
    }

    [Fact]
    public void Dates_agree_with_DateTime_across_its_range()
    {
        Span<byte> buffer = stackalloc byte[JsDate.MaxFormattedLength];
        Random random = new(7);
        long min = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        long max = new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (int i = 0; i < 10_000; i++)
        {
            long ms = random.NextInt64(min, max + 1);
            JsDate.TryFormatIso(ms, buffer, out int written).Should().BeTrue();
            Encoding.ASCII.GetString(buffer[..written]).Should().Be(
                DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
