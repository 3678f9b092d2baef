using System.Diagnostics;

namespace Bench;

/// <summary>
/// Timestamps travel inside payloads as "@@" followed by 19 ASCII digits of <see cref="Stopwatch"/> ticks, written
/// and parsed in place: no string, no allocation. The marker is found the same way in JSON text, msgpack and
/// binary attachments.
/// </summary>
internal static class Timestamps
{
    public const int Digits = 19;
    public const int StampLength = 2 + Digits;

    public static long Now() => Stopwatch.GetTimestamp();

    public static long FromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    public static double ToSeconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>Writes the 19 digits of <paramref name="ticks"/> into <paramref name="destination"/>.</summary>
    public static void WriteDigits(Span<byte> destination, long ticks)
    {
        for (var i = Digits - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + ticks % 10);
            ticks /= 10;
        }
    }

    /// <summary>Finds the stamp in a frame; false if it has none.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out long ticks)
    {
        ticks = 0;
        var at = frame.IndexOf("@@"u8);
        if (at < 0 || at + StampLength > frame.Length) return false;
        var digits = frame.Slice(at + 2, Digits);
        foreach (var b in digits)
        {
            var d = b - '0';
            if ((uint)d > 9) return false;
            ticks = ticks * 10 + d;
        }
        return true;
    }
}
