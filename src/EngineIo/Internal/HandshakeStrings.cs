using System.Text;

namespace EngineIo.Internal;

/// <summary>
/// One shared instance of the strings that every handshake repeats: header names and the values most clients send
/// alike (<c>Connection: Upgrade</c>, <c>Upgrade: websocket</c>, the host, the extension offer, the user agent), the
/// engine's path and the usual query. Each session keeps its handshake's headers for its whole life
/// (<see cref="EngineRequestInfo"/>), and without this every idle WebSocket held about 700 bytes of copies of the same
/// dozen strings.
/// </summary>
/// <remarks>
/// A direct-mapped cache of <see cref="Slots"/> strings of at most <see cref="MaxLength"/> characters: a string goes
/// to the slot of its hash, replacing what was there. Values that differ on every request (a polling request's
/// cache-buster, a forwarded address) only ever take a slot from one another or, rarely, from a common value, which
/// the next handshake puts back; nothing grows, and no client can fill it for the others. Races between threads only
/// cost a missed share. Headers that differ on every request (the WebSocket key, cookies, credentials) are not offered.
/// </remarks>
internal static class HandshakeStrings
{
    internal const int MaxLength = 256;
    internal const int Slots = 4096;

    private static readonly string?[] Cache = new string?[Slots];

    /// <summary>The string of <paramref name="latin1"/> (Latin-1, as HTTP heads are read), the shared instance when there is one.</summary>
    public static string FromLatin1(ReadOnlySpan<byte> latin1)
    {
        if (latin1.IsEmpty) return string.Empty;
        if (latin1.Length > MaxLength) return Encoding.Latin1.GetString(latin1);
        Span<char> chars = stackalloc char[latin1.Length];
        Encoding.Latin1.GetChars(latin1, chars);
        return Intern(chars, instance: null);
    }

    /// <summary>The shared instance of <paramref name="value"/>, or <paramref name="value"/> itself (which becomes the shared one).</summary>
    public static string Share(string value) =>
        value.Length == 0 || value.Length > MaxLength ? value : Intern(value, value);

    /// <summary>The slot's string when it holds <paramref name="chars"/>; else <paramref name="instance"/> (or a new string), which takes the slot.</summary>
    private static string Intern(ReadOnlySpan<char> chars, string? instance)
    {
        ref var slot = ref Cache[SlotOf(chars)];
        var cached = Volatile.Read(ref slot);
        if (cached is not null && chars.SequenceEqual(cached)) return cached;
        var value = instance ?? new string(chars);
        Volatile.Write(ref slot, value);
        return value;
    }

    /// <summary>Whether a header's values are worth sharing: not those that differ on every request.</summary>
    public static bool IsShareable(string headerName) =>
        !headerName.Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase)
        && !headerName.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        && !headerName.Equals("Authorization", StringComparison.OrdinalIgnoreCase);

    private static int SlotOf(ReadOnlySpan<char> chars) => (int)((uint)string.GetHashCode(chars) % Slots);
}
