namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// Formats a JavaScript time value (milliseconds since the Unix epoch, UTC) exactly as
/// <c>Date.prototype.toISOString</c> does, so a Date sent by a msgpack client reaches the
/// application as the same string a JSON-parser client's <c>JSON.stringify</c> would have produced.
/// </summary>
/// <remarks>
/// JavaScript dates span ±8.64e15 ms (about ±275,760 years), far beyond <see cref="DateTime"/>, and
/// <c>toISOString</c> switches to a signed six-digit year outside 0000–9999; hence the arithmetic
/// here rather than <see cref="DateTime"/>.
/// </remarks>
internal static class JsDate
{
    /// <summary>The largest magnitude of a valid JavaScript time value (ECMAScript TimeClip).</summary>
    public const long MaxTimeValue = 8_640_000_000_000_000;

    /// <summary>Enough for <c>+275760-09-13T00:00:00.000Z</c>.</summary>
    public const int MaxFormattedLength = 27;

    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>
    /// Writes the ISO form of <paramref name="milliseconds"/> into <paramref name="destination"/>
    /// (at least <see cref="MaxFormattedLength"/> bytes). Returns <see langword="false"/> for a time
    /// value JavaScript considers invalid (then <c>JSON.stringify</c> yields <c>null</c>).
    /// </summary>
    public static bool TryFormatIso(long milliseconds, Span<byte> destination, out int written)
    {
        written = 0;
        if (milliseconds is > MaxTimeValue or < -MaxTimeValue || destination.Length < MaxFormattedLength)
        {
            return false;
        }

        long days = Math.DivRem(milliseconds, MillisecondsPerDay, out long msOfDay);
        if (msOfDay < 0)
        {
            days--;
            msOfDay += MillisecondsPerDay;
        }

        CivilFromDays(days, out long year, out int month, out int day);

        int p = 0;
        if (year is >= 0 and <= 9999)
        {
            p = WriteDigits(destination, p, year, 4);
        }
        else
        {
            destination[p++] = year < 0 ? (byte)'-' : (byte)'+';
            p = WriteDigits(destination, p, Math.Abs(year), 6);
        }

        destination[p++] = (byte)'-';
        p = WriteDigits(destination, p, month, 2);
        destination[p++] = (byte)'-';
        p = WriteDigits(destination, p, day, 2);
        destination[p++] = (byte)'T';
        p = WriteDigits(destination, p, msOfDay / 3_600_000, 2);
        destination[p++] = (byte)':';
        p = WriteDigits(destination, p, msOfDay / 60_000 % 60, 2);
        destination[p++] = (byte)':';
        p = WriteDigits(destination, p, msOfDay / 1000 % 60, 2);
        destination[p++] = (byte)'.';
        p = WriteDigits(destination, p, msOfDay % 1000, 3);
        destination[p++] = (byte)'Z';
        written = p;
        return true;
    }

    /// <summary>Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).</summary>
    private static void CivilFromDays(long days, out long year, out int month, out int day)
    {
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long dayOfEra = z - (era * 146_097);
        long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        long mp = ((5 * dayOfYear) + 2) / 153;
        day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
    }

    private static int WriteDigits(Span<byte> destination, int position, long value, int width)
    {
        for (int i = width - 1; i >= 0; i--)
        {
            destination[position + i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return position + width;
    }
}
