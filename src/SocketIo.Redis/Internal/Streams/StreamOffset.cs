using System.Globalization;

namespace SocketIo.Redis.Internal.Streams;

/// <summary>Redis Streams entry ids (<c>milliseconds-sequence</c>), the offsets of the streams adapter.</summary>
internal static class StreamOffset
{
    /// <summary>The id of an empty stream's start: every entry comes after it.</summary>
    public const string Start = "0-0";

    /// <summary>Whether <paramref name="offset"/> is an entry id, as the reference checks (<c>^[0-9]+-[0-9]+$</c>).</summary>
    public static bool IsValid(string offset) => TryParse(offset, out _, out _);

    public static bool TryParse(string offset, out ulong milliseconds, out ulong sequence)
    {
        milliseconds = sequence = 0;
        var dash = offset.IndexOf('-');
        return dash > 0
            && ulong.TryParse(offset.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds)
            && ulong.TryParse(offset.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Orders two entry ids; ids that do not parse sort first.</summary>
    public static int Compare(string x, string y)
    {
        var xValid = TryParse(x, out var xMs, out var xSeq);
        var yValid = TryParse(y, out var yMs, out var ySeq);
        if (!xValid || !yValid) return xValid.CompareTo(yValid);
        var byTime = xMs.CompareTo(yMs);
        return byTime != 0 ? byTime : xSeq.CompareTo(ySeq);
    }

    /// <summary>The smallest id after <paramref name="offset"/> (an exclusive XRANGE start that Redis before 6.2 reads too).</summary>
    public static string Next(string offset)
    {
        TryParse(offset, out var milliseconds, out var sequence);
        return sequence == ulong.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds + 1}-0")
            : string.Create(CultureInfo.InvariantCulture, $"{milliseconds}-{sequence + 1}");
    }
}
