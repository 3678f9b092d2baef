namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// How notepack.io 2.2 (the codec under the npm <c>socket.io-msgpack-parser</c> 3.0.2) maps JavaScript
/// values onto msgpack ext types. All use ext type 0 and are told apart by the format byte:
/// <list type="bullet">
/// <item><c>undefined</c>: fixext 1, type 0 (data byte ignored on decode).</item>
/// <item><c>Date</c>: fixext 8, type 0, the time value in ms as a big-endian int64.</item>
/// <item><c>ArrayBuffer</c> and typed arrays: ext 8/16/32, type 0, the raw bytes (decoded as an ArrayBuffer).</item>
/// <item>Anything else (fixext 2/4/16 of any type, other types) decodes as the array <c>[type, Buffer]</c>.</item>
/// </list>
/// Node Buffers use plain bin; numbers are ints when integral and finite, float 64 otherwise.
/// </summary>
internal static class NotepackConventions
{
    /// <summary>The ext type notepack uses for undefined, Date and ArrayBuffer.</summary>
    public const sbyte ExtensionType = 0;

    /// <summary>notepack's encoding of <c>undefined</c>: fixext 1, type 0, one zero data byte.</summary>
    public static ReadOnlySpan<byte> UndefinedBytes => [MsgPackCode.FixExt1, 0, 0];

    public static bool IsUndefined(in MsgPackToken token) =>
        token.Kind == MsgPackTokenKind.Extension && token.Code == MsgPackCode.FixExt1 && token.ExtensionType == ExtensionType;

    public static bool IsDate(in MsgPackToken token) =>
        token.Kind == MsgPackTokenKind.Extension && token.Code == MsgPackCode.FixExt8 && token.ExtensionType == ExtensionType;

    public static bool IsArrayBuffer(in MsgPackToken token) =>
        token.Kind == MsgPackTokenKind.Extension
        && token.Code is MsgPackCode.Ext8 or MsgPackCode.Ext16 or MsgPackCode.Ext32
        && token.ExtensionType == ExtensionType;

    /// <summary>The msgpack timestamp extension type, which notepack.io 3 (the codec of @socket.io/redis-adapter 8) uses for Date.</summary>
    public const sbyte TimestampExtensionType = -1;

    /// <summary>
    /// Reads a msgpack timestamp (ext type -1: fixext 4 with 32-bit seconds, fixext 8 with 30-bit nanoseconds
    /// and 34-bit seconds, ext 8 of 12 bytes with 32-bit nanoseconds and 64-bit signed seconds) as the time value
    /// JavaScript's <c>new Date(seconds * 1e3 + nanoseconds / 1e6)</c> gets: milliseconds, truncated toward zero.
    /// </summary>
    public static bool TryGetTimestamp(in MsgPackToken token, out long milliseconds)
    {
        milliseconds = 0;
        if (token.Kind != MsgPackTokenKind.Extension || token.ExtensionType != TimestampExtensionType)
        {
            return false;
        }

        ReadOnlySpan<byte> data = token.Bytes;
        long seconds;
        uint nanoseconds;
        switch (data.Length)
        {
            case 4:
                seconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data);
                nanoseconds = 0;
                break;
            case 8:
                ulong packed = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(data);
                seconds = (long)(packed & 0x3_ffff_ffffUL);
                nanoseconds = (uint)(packed >> 34);
                break;
            case 12:
                nanoseconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data);
                seconds = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(data[4..]);
                break;
            default:
                return false;
        }

        // Beyond JavaScript's date range the value is an Invalid Date; the caller writes null for it.
        if (nanoseconds > 999_999_999 || seconds is > JsDate.MaxTimeValue / 1000 + 1 or < -JsDate.MaxTimeValue / 1000 - 1)
        {
            milliseconds = long.MaxValue;
            return true;
        }

        long whole = nanoseconds / 1_000_000;
        bool fractional = nanoseconds % 1_000_000 != 0;
        milliseconds = (seconds * 1000) + whole;

        // Date truncates toward zero: a negative time with a fraction of a millisecond rounds up.
        if (fractional && milliseconds < 0)
        {
            milliseconds++;
        }

        return true;
    }
}
