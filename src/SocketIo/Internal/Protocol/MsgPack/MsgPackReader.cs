using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;
using MessagePack;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// A forward-only msgpack reader for untrusted input, on MessagePack-CSharp's <c>MessagePackReader</c>. Every read has the TryRead shape:
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

    private readonly ReadOnlyMemory<byte> _buffer;
    private readonly int _length;
    private MessagePackReader _reader;

    public MsgPackReader(ReadOnlyMemory<byte> buffer)
    {
        _buffer = buffer;
        _length = buffer.Length;
        _reader = new MessagePackReader(buffer);
        Error = MsgPackError.None;
    }

    /// <summary>The offset of the next value in the input.</summary>
    public readonly int Position => (int)_reader.Consumed;

    /// <summary>How many input bytes are left to read.</summary>
    public readonly int Remaining => _length - Position;

    /// <summary>True when the whole input has been consumed.</summary>
    public readonly bool IsAtEnd => Position >= _length;

    /// <summary>Why the last failed read failed.</summary>
    public MsgPackError Error { readonly get; private set; }

    /// <summary>A human-readable description of <see cref="Error"/> at the current position, for error messages.</summary>
    public readonly string DescribeError() => Error switch
    {
        MsgPackError.Truncated => $"msgpack input truncated at offset {Position}",
        MsgPackError.LengthExceedsInput => $"msgpack length at offset {Position} exceeds the remaining input",
        MsgPackError.ReservedCode => $"reserved msgpack byte 0xc1 at offset {Position}",
        MsgPackError.InvalidUtf8 => $"msgpack string at offset {Position} is not valid UTF-8",
        MsgPackError.DepthExceeded => $"msgpack value at offset {Position} is nested too deeply",
        MsgPackError.UnexpectedType => $"unexpected msgpack type at offset {Position}",
        _ => "no error",
    };

    /// <summary>
    /// Reads one value, or the header of an array or map. For str the bytes are checked to be valid
    /// UTF-8; for str, bin and ext the declared length is checked to fit in the remaining input.
    /// </summary>
    /// <remarks>
    /// The format byte tells how long the header is; that many bytes are checked to be there before
    /// <c>MessagePackReader</c> reads it, so a short header is <see cref="MsgPackError.Truncated"/>
    /// and a payload longer than the input (the reader's <see cref="EndOfStreamException"/>) is
    /// <see cref="MsgPackError.LengthExceedsInput"/>. On failure the reader is put back where it was.
    /// </remarks>
    public bool TryRead(out MsgPackToken token)
    {
        token = default;
        if (IsAtEnd)
        {
            return Fail(MsgPackError.Truncated);
        }

        byte code = _reader.NextCode;
        if (code == MsgPackCode.NeverUsed)
        {
            return Fail(MsgPackError.ReservedCode);
        }

        int headerSize = HeaderSize(code);
        if (Remaining < headerSize)
        {
            return Fail(MsgPackError.Truncated);
        }

        // MessagePackReader throws for a payload longer than the input (and takes a count above int.MaxValue
        // for a negative one); hostile input must cost no exception, so the declared size is checked first.
        // The smallest element is one byte, the smallest pair two: a count the remaining input cannot
        // possibly hold is refused here, before any caller sizes anything from it.
        if (DeclaredSize(code, _buffer.Span.Slice(Position, headerSize)) > (ulong)(Remaining - headerSize))
        {
            return Fail(MsgPackError.LengthExceedsInput);
        }

        MessagePackReader saved = _reader;
        try
        {
            switch (MessagePackCode.ToMessagePackType(code))
            {
                case MessagePackType.Nil:
                    _reader.ReadNil();
                    token = MsgPackToken.Nil();
                    break;
                case MessagePackType.Boolean:
                    token = MsgPackToken.FromBoolean(_reader.ReadBoolean());
                    break;
                case MessagePackType.Integer:
                    // Signed values are kept as their two's complement bits, sign-extended to 64 bits.
                    token = MsgPackToken.FromInteger(code, IsUnsignedCode(code) ? _reader.ReadUInt64() : unchecked((ulong)_reader.ReadInt64()));
                    break;
                case MessagePackType.Float:
                    token = MsgPackToken.FromFloat(code, _reader.ReadDouble());
                    break;
                case MessagePackType.String:
                    ReadOnlySequence<byte> utf8 = _reader.ReadStringSequence() ?? default;
                    ReadOnlySpan<byte> text = utf8.FirstSpan;
                    if (!Utf8.IsValid(text))
                    {
                        _reader = saved;
                        return Fail(MsgPackError.InvalidUtf8);
                    }

                    token = MsgPackToken.FromBytes(MsgPackTokenKind.String, code, text);
                    break;
                case MessagePackType.Binary:
                    token = MsgPackToken.FromBytes(MsgPackTokenKind.Binary, code, (_reader.ReadBytes() ?? default).FirstSpan);
                    break;
                case MessagePackType.Extension:
                    ExtensionHeader header = _reader.ReadExtensionFormatHeader();
                    token = MsgPackToken.FromBytes(MsgPackTokenKind.Extension, code, _reader.ReadRaw(header.Length).FirstSpan, header.TypeCode);
                    break;
                case MessagePackType.Array:
                case MessagePackType.Map:
                    bool isMap = MessagePackCode.ToMessagePackType(code) == MessagePackType.Map;
                    int count = isMap ? _reader.ReadMapHeader() : _reader.ReadArrayHeader();
                    token = MsgPackToken.FromHeader(isMap ? MsgPackTokenKind.Map : MsgPackTokenKind.Array, code, count);
                    break;
                default:
                    return Fail(MsgPackError.ReservedCode);
            }
        }
        catch (EndOfStreamException)
        {
            // The header was complete (checked above), so what is missing is the declared payload.
            _reader = saved;
            return Fail(MsgPackError.LengthExceedsInput);
        }
        catch (ArgumentOutOfRangeException)
        {
            // MessagePackReader.ReadBytes reports a payload beyond the input this way; checked above already.
            _reader = saved;
            return Fail(MsgPackError.LengthExceedsInput);
        }
        catch (MessagePackSerializationException)
        {
            // A count or length beyond int.MaxValue: no input this reader is given can hold it.
            _reader = saved;
            return Fail(MsgPackError.LengthExceedsInput);
        }

        Error = MsgPackError.None;
        return true;
    }

    /// <summary>Reads a nil.</summary>
    public bool TryReadNil()
    {
        MessagePackReader start = _reader;
        return TryRead(out MsgPackToken token) && (token.Kind == MsgPackTokenKind.Nil || Mismatch(start));
    }

    /// <summary>Reads a boolean.</summary>
    public bool TryReadBoolean(out bool value)
    {
        MessagePackReader start = _reader;
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
        MessagePackReader start = _reader;
        value = 0;
        return TryRead(out MsgPackToken token) && (token.TryGetInt64(out value) || Mismatch(start));
    }

    /// <summary>Reads a non-negative integer of any encoding.</summary>
    public bool TryReadUInt64(out ulong value)
    {
        MessagePackReader start = _reader;
        value = 0;
        return TryRead(out MsgPackToken token) && (token.TryGetUInt64(out value) || Mismatch(start));
    }

    /// <summary>Reads a float 32 (widened exactly) or float 64. Integers are not accepted.</summary>
    public bool TryReadDouble(out double value)
    {
        MessagePackReader start = _reader;
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
        MessagePackReader start = _reader;
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
        MessagePackReader start = _reader;

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
                _reader = start;
                return false;
            }

            if (token.Kind is MsgPackTokenKind.Array or MsgPackTokenKind.Map)
            {
                if (depth >= maxDepth)
                {
                    _reader = start;
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
        MessagePackReader start = _reader;
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
        MessagePackReader start = _reader;
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

    /// <summary>How many bytes the value's header (format byte, length, ext type) or fixed-size value takes.</summary>
    private static int HeaderSize(byte code) => code switch
    {
        MsgPackCode.Bin8 or MsgPackCode.Str8 or MsgPackCode.UInt8 or MsgPackCode.Int8 => 2,
        MsgPackCode.Bin16 or MsgPackCode.Str16 or MsgPackCode.UInt16 or MsgPackCode.Int16
            or MsgPackCode.Array16 or MsgPackCode.Map16 => 3,
        MsgPackCode.Bin32 or MsgPackCode.Str32 or MsgPackCode.UInt32 or MsgPackCode.Int32 or MsgPackCode.Float32
            or MsgPackCode.Array32 or MsgPackCode.Map32 => 5,
        MsgPackCode.UInt64 or MsgPackCode.Int64 or MsgPackCode.Float64 => 9,
        MsgPackCode.Ext8 => 3,
        MsgPackCode.Ext16 => 4,
        MsgPackCode.Ext32 => 6,
        >= MsgPackCode.FixExt1 and <= MsgPackCode.FixExt16 => 2,
        _ => 1,
    };

    /// <summary>
    /// The fewest bytes that must follow a header: the payload length of a str, bin or ext, the element count
    /// of an array, twice the pair count of a map; 0 for every other value.
    /// </summary>
    private static ulong DeclaredSize(byte code, ReadOnlySpan<byte> header) => code switch
    {
        >= MsgPackCode.MinFixMap and <= MsgPackCode.MaxFixMap => 2u * (uint)(code & 0x0f),
        >= MsgPackCode.MinFixArray and <= MsgPackCode.MaxFixArray => (uint)(code & 0x0f),
        MsgPackCode.Map16 => 2u * BinaryPrimitives.ReadUInt16BigEndian(header[1..]),
        MsgPackCode.Map32 => 2UL * BinaryPrimitives.ReadUInt32BigEndian(header[1..]),
        MsgPackCode.Array16 => BinaryPrimitives.ReadUInt16BigEndian(header[1..]),
        MsgPackCode.Array32 => BinaryPrimitives.ReadUInt32BigEndian(header[1..]),
        >= MsgPackCode.MinFixStr and <= MsgPackCode.MaxFixStr => (uint)(code & 0x1f),
        MsgPackCode.Str8 or MsgPackCode.Bin8 or MsgPackCode.Ext8 => header[1],
        MsgPackCode.Str16 or MsgPackCode.Bin16 or MsgPackCode.Ext16 => BinaryPrimitives.ReadUInt16BigEndian(header[1..]),
        MsgPackCode.Str32 or MsgPackCode.Bin32 or MsgPackCode.Ext32 => BinaryPrimitives.ReadUInt32BigEndian(header[1..]),
        >= MsgPackCode.FixExt1 and <= MsgPackCode.FixExt16 => 1u << (code - MsgPackCode.FixExt1),
        _ => 0,
    };

    /// <summary>Positive fixint and uint 8–64 carry no sign; negative fixint and int 8–64 do.</summary>
    private static bool IsUnsignedCode(byte code) =>
        code <= MsgPackCode.MaxPositiveFixInt || code is >= MsgPackCode.UInt8 and <= MsgPackCode.UInt64;

    private bool Fail(MsgPackError error)
    {
        Error = error;
        return false;
    }

    private bool Mismatch(MessagePackReader start)
    {
        _reader = start;
        return Fail(MsgPackError.UnexpectedType);
    }
}
