using System.Buffers.Binary;
using System.Text.Unicode;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// A forward-only msgpack reader over a span, for untrusted input. Every read has the TryRead shape:
/// on failure it returns <see langword="false"/>, leaves <see cref="Position"/> where it was and sets
/// <see cref="Error"/>; it never throws on malformed input.
/// </summary>
/// <remarks>
/// Lengths and counts declared in headers are checked against the bytes that remain before anything
/// else is done with them (an array claims at least one byte per element, a map two per pair), so a
/// header claiming four billion elements is refused at once and nothing is ever sized from it.
/// The reader is flat: it hands out array/map headers and leaves nesting to the caller, which keeps
/// it free of recursion; <see cref="TrySkip"/> walks nested values iteratively under a depth limit.
/// </remarks>
internal ref struct MsgPackReader
{
    /// <summary>Depth up to which <see cref="TrySkip"/> keeps its per-level counters on the stack.</summary>
    private const int StackallocDepth = 128;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MsgPackReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        Error = MsgPackError.None;
    }

    /// <summary>The offset of the next value in the input.</summary>
    public readonly int Position => _position;

    /// <summary>How many input bytes are left to read.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when the whole input has been consumed.</summary>
    public readonly bool IsAtEnd => _position >= _buffer.Length;

    /// <summary>Why the last failed read failed.</summary>
    public MsgPackError Error { readonly get; private set; }

    /// <summary>A human-readable description of <see cref="Error"/> at the current position, for error messages.</summary>
    public readonly string DescribeError() => Error switch
    {
        MsgPackError.Truncated => $"msgpack input truncated at offset {_position}",
        MsgPackError.LengthExceedsInput => $"msgpack length at offset {_position} exceeds the remaining input",
        MsgPackError.ReservedCode => $"reserved msgpack byte 0xc1 at offset {_position}",
        MsgPackError.InvalidUtf8 => $"msgpack string at offset {_position} is not valid UTF-8",
        MsgPackError.DepthExceeded => $"msgpack value at offset {_position} is nested too deeply",
        MsgPackError.UnexpectedType => $"unexpected msgpack type at offset {_position}",
        _ => "no error",
    };

    /// <summary>
    /// Reads one value, or the header of an array or map. For str the bytes are checked to be valid
    /// UTF-8; for str, bin and ext the declared length is checked to fit in the remaining input.
    /// </summary>
    public bool TryRead(out MsgPackToken token)
    {
        token = default;
        ReadOnlySpan<byte> input = _buffer[_position..];
        if (input.IsEmpty)
        {
            return Fail(MsgPackError.Truncated);
        }

        byte code = input[0];
        ReadOnlySpan<byte> rest = input[1..];

        // The fixed families take the whole 0x00-0xbf and 0xe0-0xff ranges; test them first.
        if (code <= MsgPackCode.MaxPositiveFixInt)
        {
            token = MsgPackToken.FromInteger(code, code);
            return Advance(1);
        }

        if (code <= MsgPackCode.MaxFixMap)
        {
            return TryReadHeader(MsgPackTokenKind.Map, code, (uint)(code & 0x0f), 1, out token);
        }

        if (code <= MsgPackCode.MaxFixArray)
        {
            return TryReadHeader(MsgPackTokenKind.Array, code, (uint)(code & 0x0f), 1, out token);
        }

        if (code <= MsgPackCode.MaxFixStr)
        {
            return TryReadPayload(MsgPackTokenKind.String, code, (uint)(code & 0x1f), 1, 0, out token);
        }

        if (code >= MsgPackCode.MinNegativeFixInt)
        {
            token = MsgPackToken.FromInteger(code, unchecked((ulong)(long)(sbyte)code));
            return Advance(1);
        }

        switch (code)
        {
            case MsgPackCode.Nil:
                token = MsgPackToken.Nil();
                return Advance(1);
            case MsgPackCode.False:
            case MsgPackCode.True:
                token = MsgPackToken.FromBoolean(code == MsgPackCode.True);
                return Advance(1);

            case MsgPackCode.Bin8:
            case MsgPackCode.Str8:
                return rest.Length < 1
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(KindOf(code), code, rest[0], 2, 0, out token);
            case MsgPackCode.Bin16:
            case MsgPackCode.Str16:
                return rest.Length < 2
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(KindOf(code), code, BinaryPrimitives.ReadUInt16BigEndian(rest), 3, 0, out token);
            case MsgPackCode.Bin32:
            case MsgPackCode.Str32:
                return rest.Length < 4
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(KindOf(code), code, BinaryPrimitives.ReadUInt32BigEndian(rest), 5, 0, out token);

            case MsgPackCode.Ext8:
                return rest.Length < 2
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(MsgPackTokenKind.Extension, code, rest[0], 3, (sbyte)rest[1], out token);
            case MsgPackCode.Ext16:
                return rest.Length < 3
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(MsgPackTokenKind.Extension, code, BinaryPrimitives.ReadUInt16BigEndian(rest), 4, (sbyte)rest[2], out token);
            case MsgPackCode.Ext32:
                return rest.Length < 5
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(MsgPackTokenKind.Extension, code, BinaryPrimitives.ReadUInt32BigEndian(rest), 6, (sbyte)rest[4], out token);

            case MsgPackCode.FixExt1:
            case MsgPackCode.FixExt2:
            case MsgPackCode.FixExt4:
            case MsgPackCode.FixExt8:
            case MsgPackCode.FixExt16:
                // 0xd4..0xd8 carry 1, 2, 4, 8, 16 data bytes.
                return rest.Length < 1
                    ? Fail(MsgPackError.Truncated)
                    : TryReadPayload(MsgPackTokenKind.Extension, code, 1u << (code - MsgPackCode.FixExt1), 2, (sbyte)rest[0], out token);

            case MsgPackCode.Float32:
                if (rest.Length < 4)
                {
                    return Fail(MsgPackError.Truncated);
                }

                token = MsgPackToken.FromFloat(code, BinaryPrimitives.ReadSingleBigEndian(rest));
                return Advance(5);
            case MsgPackCode.Float64:
                if (rest.Length < 8)
                {
                    return Fail(MsgPackError.Truncated);
                }

                token = MsgPackToken.FromFloat(code, BinaryPrimitives.ReadDoubleBigEndian(rest));
                return Advance(9);

            case MsgPackCode.UInt8:
                return TryReadInteger(code, rest, 1, out token);
            case MsgPackCode.UInt16:
                return TryReadInteger(code, rest, 2, out token);
            case MsgPackCode.UInt32:
                return TryReadInteger(code, rest, 4, out token);
            case MsgPackCode.UInt64:
                return TryReadInteger(code, rest, 8, out token);
            case MsgPackCode.Int8:
                return TryReadInteger(code, rest, 1, out token);
            case MsgPackCode.Int16:
                return TryReadInteger(code, rest, 2, out token);
            case MsgPackCode.Int32:
                return TryReadInteger(code, rest, 4, out token);
            case MsgPackCode.Int64:
                return TryReadInteger(code, rest, 8, out token);

            case MsgPackCode.Array16:
                return rest.Length < 2
                    ? Fail(MsgPackError.Truncated)
                    : TryReadHeader(MsgPackTokenKind.Array, code, BinaryPrimitives.ReadUInt16BigEndian(rest), 3, out token);
            case MsgPackCode.Array32:
                return rest.Length < 4
                    ? Fail(MsgPackError.Truncated)
                    : TryReadHeader(MsgPackTokenKind.Array, code, BinaryPrimitives.ReadUInt32BigEndian(rest), 5, out token);
            case MsgPackCode.Map16:
                return rest.Length < 2
                    ? Fail(MsgPackError.Truncated)
                    : TryReadHeader(MsgPackTokenKind.Map, code, BinaryPrimitives.ReadUInt16BigEndian(rest), 3, out token);
            case MsgPackCode.Map32:
                return rest.Length < 4
                    ? Fail(MsgPackError.Truncated)
                    : TryReadHeader(MsgPackTokenKind.Map, code, BinaryPrimitives.ReadUInt32BigEndian(rest), 5, out token);

            default:
                // Only 0xc1 is left: every other byte value is assigned above.
                return Fail(MsgPackError.ReservedCode);
        }
    }

    /// <summary>Reads a nil.</summary>
    public bool TryReadNil()
    {
        int start = _position;
        return TryRead(out MsgPackToken token) && (token.Kind == MsgPackTokenKind.Nil || Mismatch(start));
    }

    /// <summary>Reads a boolean.</summary>
    public bool TryReadBoolean(out bool value)
    {
        int start = _position;
        value = false;
        if (!TryRead(out MsgPackToken token))
        {
            return false;
        }

        if (token.Kind != MsgPackTokenKind.Boolean)
        {
            return Mismatch(start);
        }

        value = token.Boolean;
        return true;
    }

    /// <summary>Reads an integer of any encoding whose value fits in <see cref="long"/>.</summary>
    public bool TryReadInt64(out long value)
    {
        int start = _position;
        value = 0;
        return TryRead(out MsgPackToken token) && (token.TryGetInt64(out value) || Mismatch(start));
    }

    /// <summary>Reads a non-negative integer of any encoding.</summary>
    public bool TryReadUInt64(out ulong value)
    {
        int start = _position;
        value = 0;
        return TryRead(out MsgPackToken token) && (token.TryGetUInt64(out value) || Mismatch(start));
    }

    /// <summary>Reads a float 32 (widened exactly) or float 64. Integers are not accepted.</summary>
    public bool TryReadDouble(out double value)
    {
        int start = _position;
        value = 0;
        if (!TryRead(out MsgPackToken token))
        {
            return false;
        }

        if (token.Kind != MsgPackTokenKind.Float)
        {
            return Mismatch(start);
        }

        value = token.Double;
        return true;
    }

    /// <summary>Reads a str; <paramref name="utf8"/> is a slice of the input and is valid UTF-8.</summary>
    public bool TryReadString(out ReadOnlySpan<byte> utf8) => TryReadBytes(MsgPackTokenKind.String, out utf8);

    /// <summary>Reads a bin; <paramref name="bytes"/> is a slice of the input.</summary>
    public bool TryReadBinary(out ReadOnlySpan<byte> bytes) => TryReadBytes(MsgPackTokenKind.Binary, out bytes);

    /// <summary>Reads an ext of any size; <paramref name="data"/> is a slice of the input.</summary>
    public bool TryReadExtension(out sbyte type, out ReadOnlySpan<byte> data)
    {
        int start = _position;
        type = 0;
        data = default;
        if (!TryRead(out MsgPackToken token))
        {
            return false;
        }

        if (token.Kind != MsgPackTokenKind.Extension)
        {
            return Mismatch(start);
        }

        type = token.ExtensionType;
        data = token.Bytes;
        return true;
    }

    /// <summary>Reads an array header; the <paramref name="count"/> elements follow.</summary>
    public bool TryReadArrayHeader(out int count) => TryReadContainerHeader(MsgPackTokenKind.Array, out count);

    /// <summary>Reads a map header; the <paramref name="count"/> key/value pairs follow.</summary>
    public bool TryReadMapHeader(out int count) => TryReadContainerHeader(MsgPackTokenKind.Map, out count);

    /// <summary>
    /// Skips one complete value, nested arrays and maps included, checking it the way
    /// <see cref="TryRead"/> checks every part. Arrays and maps may nest <paramref name="maxDepth"/>
    /// levels (the outermost counts as one); deeper input fails with <see cref="MsgPackError.DepthExceeded"/>.
    /// Iterative, so hostile nesting cannot overflow the stack. On failure the position is restored.
    /// </summary>
    public bool TrySkip(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);
        int start = _position;

        // Items (elements, or keys plus values) still to skip at each open level.
        Span<uint> pending = maxDepth <= StackallocDepth ? stackalloc uint[StackallocDepth] : new uint[maxDepth];
        int depth = 0;
        do
        {
            if (depth > 0)
            {
                if (pending[depth - 1] == 0)
                {
                    depth--;
                    continue;
                }

                pending[depth - 1]--;
            }

            if (!TryRead(out MsgPackToken token))
            {
                _position = start;
                return false;
            }

            if (token.Kind is MsgPackTokenKind.Array or MsgPackTokenKind.Map)
            {
                if (depth >= maxDepth)
                {
                    _position = start;
                    return Fail(MsgPackError.DepthExceeded);
                }

                // count <= int.MaxValue, so twice it still fits in a uint.
                pending[depth++] = token.Kind == MsgPackTokenKind.Map ? 2u * (uint)token.Count : (uint)token.Count;
            }
        }
        while (depth > 0);

        return true;
    }

    private bool TryReadBytes(MsgPackTokenKind kind, out ReadOnlySpan<byte> bytes)
    {
        int start = _position;
        bytes = default;
        if (!TryRead(out MsgPackToken token))
        {
            return false;
        }

        if (token.Kind != kind)
        {
            return Mismatch(start);
        }

        bytes = token.Bytes;
        return true;
    }

    private bool TryReadContainerHeader(MsgPackTokenKind kind, out int count)
    {
        int start = _position;
        count = 0;
        if (!TryRead(out MsgPackToken token))
        {
            return false;
        }

        if (token.Kind != kind)
        {
            return Mismatch(start);
        }

        count = token.Count;
        return true;
    }

    private bool TryReadInteger(byte code, ReadOnlySpan<byte> rest, int size, out MsgPackToken token)
    {
        token = default;
        if (rest.Length < size)
        {
            return Fail(MsgPackError.Truncated);
        }

        // Signed values are stored as their two's complement bits, sign-extended to 64 bits.
        ulong bits = code switch
        {
            MsgPackCode.UInt8 => rest[0],
            MsgPackCode.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(rest),
            MsgPackCode.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(rest),
            MsgPackCode.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(rest),
            MsgPackCode.Int8 => unchecked((ulong)(sbyte)rest[0]),
            MsgPackCode.Int16 => unchecked((ulong)BinaryPrimitives.ReadInt16BigEndian(rest)),
            MsgPackCode.Int32 => unchecked((ulong)BinaryPrimitives.ReadInt32BigEndian(rest)),
            _ => unchecked((ulong)BinaryPrimitives.ReadInt64BigEndian(rest)),
        };
        token = MsgPackToken.FromInteger(code, bits);
        return Advance(1 + size);
    }

    /// <summary>A str/bin/ext whose <paramref name="length"/> payload bytes follow a header of <paramref name="headerSize"/> bytes.</summary>
    private bool TryReadPayload(MsgPackTokenKind kind, byte code, uint length, int headerSize, sbyte extensionType, out MsgPackToken token)
    {
        token = default;
        int available = Remaining - headerSize;
        if (available < 0)
        {
            return Fail(MsgPackError.Truncated);
        }

        if (length > (uint)available)
        {
            return Fail(MsgPackError.LengthExceedsInput);
        }

        ReadOnlySpan<byte> payload = _buffer.Slice(_position + headerSize, (int)length);
        if (kind == MsgPackTokenKind.String && !Utf8.IsValid(payload))
        {
            return Fail(MsgPackError.InvalidUtf8);
        }

        token = MsgPackToken.FromBytes(kind, code, payload, extensionType);
        return Advance(headerSize + (int)length);
    }

    private bool TryReadHeader(MsgPackTokenKind kind, byte code, uint count, int headerSize, out MsgPackToken token)
    {
        token = default;

        // The smallest element is one byte, the smallest pair two: a count the remaining input
        // cannot possibly hold is refused here, before any caller sizes anything from it.
        ulong minimumBytes = kind == MsgPackTokenKind.Map ? 2UL * count : count;
        if (minimumBytes > (ulong)(Remaining - headerSize))
        {
            return Fail(MsgPackError.LengthExceedsInput);
        }

        token = MsgPackToken.FromHeader(kind, code, (int)count);
        return Advance(headerSize);
    }

    private static MsgPackTokenKind KindOf(byte code) =>
        code is >= MsgPackCode.Str8 and <= MsgPackCode.Str32 ? MsgPackTokenKind.String : MsgPackTokenKind.Binary;

    private bool Advance(int size)
    {
        _position += size;
        Error = MsgPackError.None;
        return true;
    }

    private bool Fail(MsgPackError error)
    {
        Error = error;
        return false;
    }

    private bool Mismatch(int start)
    {
        _position = start;
        return Fail(MsgPackError.UnexpectedType);
    }
}
