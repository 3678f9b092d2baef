using System.Globalization;

namespace MarketplaceEvents.Domain;

/// <summary>
/// The one timestamp format of the service: ISO-8601 in UTC with milliseconds (<c>2025-01-31T12:00:00.000Z</c>), as
/// JavaScript's <c>Date.toISOString()</c> writes it. Fixed width, so stored timestamps sort as text.
/// </summary>
internal static class Timestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // What clients may send: full date-times with or without fractions, with Z or an offset, or a bare date.
    private static readonly string[] AcceptedFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    public static string ToIso(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string? ToIso(DateTimeOffset? time) => time is { } value ? ToIso(value) : null;

    /// <summary>Parses an ISO-8601 timestamp; one without a zone is taken as UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, AcceptedFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>Reads a timestamp written by <see cref="ToIso(DateTimeOffset)"/> (storage).</summary>
    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var time) ? time : throw new FormatException($"'{text}' is not an ISO-8601 timestamp.");

    /// <summary>Drops what the format cannot carry, so that a value survives a round trip through text unchanged.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
