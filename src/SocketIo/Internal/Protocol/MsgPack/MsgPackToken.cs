namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// One msgpack value as read by <see cref="MsgPackReader.TryRead"/>: a scalar with its value, a
/// str/bin/ext with its payload (a slice of the reader's input, not a copy), or the header of an
/// array/map whose elements follow in the input.
/// </summary>
/// <remarks>
/// Integers are kept as magnitude bits plus a sign flag because msgpack integers span
/// <c>[long.MinValue, ulong.MaxValue]</c>, which no single .NET integer type covers.
/// </remarks>
internal readonly ref struct MsgPackToken
{
    private readonly ulong _bits;
    private readonly double _double;

    private MsgPackToken(MsgPackTokenKind kind, byte code, ulong bits, double @double, ReadOnlySpan<byte> bytes, int count, sbyte extensionType)
    {
        Kind = kind;
        Code = code;
        _bits = bits;
        _double = @double;
        Bytes = bytes;
        Count = count;
        ExtensionType = extensionType;
    }

    /// <summary>The type family of the value.</summary>
    public MsgPackTokenKind Kind { get; }

    /// <summary>The format byte the value was encoded with (some extension conventions depend on it, not only on the type).</summary>
    public byte Code { get; }

    /// <summary>The payload of a str (valid UTF-8), bin or ext value; empty otherwise.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The element count of an array, or the number of key/value pairs of a map.</summary>
    public int Count { get; }

    /// <summary>The application-defined type of an ext value.</summary>
    public sbyte ExtensionType { get; }

    /// <summary>The value of a boolean.</summary>
    public bool Boolean => _bits != 0;

    /// <summary>The value of a float 32 (widened exactly) or float 64.</summary>
    public double Double => _double;

    /// <summary>True for an integer below zero (then <see cref="TryGetUInt64"/> fails).</summary>
    public bool IsNegative => Kind == MsgPackTokenKind.Integer && (long)_bits < 0 && IsSignedCode(Code);

    /// <summary>Gets an integer value if it fits in <see cref="long"/>.</summary>
    public bool TryGetInt64(out long value)
    {
        value = (long)_bits;
        if (Kind != MsgPackTokenKind.Integer)
        {
            value = 0;
            return false;
        }

        // Unsigned encodings above long.MaxValue would wrap to a negative long.
        if (!IsSignedCode(Code) && _bits > long.MaxValue)
        {
            value = 0;
            return false;
        }

        return true;
    }

    /// <summary>Gets an integer value if it is not negative.</summary>
    public bool TryGetUInt64(out ulong value)
    {
        if (Kind != MsgPackTokenKind.Integer || IsNegative)
        {
            value = 0;
            return false;
        }

        value = _bits;
        return true;
    }

    internal static MsgPackToken Nil() => new(MsgPackTokenKind.Nil, MsgPackCode.Nil, 0, 0, default, 0, 0);

    internal static MsgPackToken FromBoolean(bool value) =>
        new(MsgPackTokenKind.Boolean, value ? MsgPackCode.True : MsgPackCode.False, value ? 1UL : 0UL, 0, default, 0, 0);

    /// <summary>An integer read with <paramref name="code"/>; <paramref name="bits"/> is the two's complement value for signed codes.</summary>
    internal static MsgPackToken FromInteger(byte code, ulong bits) => new(MsgPackTokenKind.Integer, code, bits, 0, default, 0, 0);

    internal static MsgPackToken FromFloat(byte code, double value) => new(MsgPackTokenKind.Float, code, 0, value, default, 0, 0);

    internal static MsgPackToken FromBytes(MsgPackTokenKind kind, byte code, ReadOnlySpan<byte> bytes, sbyte extensionType = 0) =>
        new(kind, code, 0, 0, bytes, 0, extensionType);

    internal static MsgPackToken FromHeader(MsgPackTokenKind kind, byte code, int count) => new(kind, code, 0, 0, default, count, 0);

    /// <summary>Negative fixint and int 8–64 carry a sign; positive fixint and uint 8–64 do not.</summary>
    private static bool IsSignedCode(byte code) =>
        code >= MsgPackCode.MinNegativeFixInt || code is >= MsgPackCode.Int8 and <= MsgPackCode.Int64;
}
