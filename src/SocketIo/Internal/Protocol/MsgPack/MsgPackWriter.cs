using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// Writes msgpack values into an <see cref="IBufferWriter{T}"/>, always in the smallest encoding.
/// Integers follow notepack.io (the codec of the npm <c>socket.io-msgpack-parser</c>): non-negative
/// values use positive fixint or uint 8–64, negative ones negative fixint or int 8–64, so the same
/// value produces the same bytes on both sides.
/// </summary>
/// <remarks>A thin stateless wrapper: copying it is free and every call appends to the same output.</remarks>
internal readonly struct MsgPackWriter
{
    private readonly IBufferWriter<byte> _output;

    public MsgPackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    public void WriteNil() => WriteByte(MsgPackCode.Nil);

    public void WriteBoolean(bool value) => WriteByte(value ? MsgPackCode.True : MsgPackCode.False);

    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteUInt64((ulong)value);
            return;
        }

        if (value >= -32)
        {
            WriteByte(unchecked((byte)(sbyte)value));
        }
        else if (value >= sbyte.MinValue)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = MsgPackCode.Int8;
            span[1] = unchecked((byte)(sbyte)value);
            _output.Advance(2);
        }
        else if (value >= short.MinValue)
        {
            Span<byte> span = _output.GetSpan(3);
            span[0] = MsgPackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            _output.Advance(3);
        }
        else if (value >= int.MinValue)
        {
            Span<byte> span = _output.GetSpan(5);
            span[0] = MsgPackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            _output.Advance(5);
        }
        else
        {
            Span<byte> span = _output.GetSpan(9);
            span[0] = MsgPackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            _output.Advance(9);
        }
    }

    public void WriteUInt64(ulong value)
    {
        if (value <= MsgPackCode.MaxPositiveFixInt)
        {
            WriteByte((byte)value);
        }
        else if (value <= byte.MaxValue)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = MsgPackCode.UInt8;
            span[1] = (byte)value;
            _output.Advance(2);
        }
        else if (value <= ushort.MaxValue)
        {
            Span<byte> span = _output.GetSpan(3);
            span[0] = MsgPackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            _output.Advance(3);
        }
        else if (value <= uint.MaxValue)
        {
            Span<byte> span = _output.GetSpan(5);
            span[0] = MsgPackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            _output.Advance(5);
        }
        else
        {
            Span<byte> span = _output.GetSpan(9);
            span[0] = MsgPackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            _output.Advance(9);
        }
    }

    /// <summary>Writes a float 64 (notepack writes every non-integral number this way).</summary>
    public void WriteFloat64(double value)
    {
        Span<byte> span = _output.GetSpan(9);
        span[0] = MsgPackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    /// <summary>Writes a float 32.</summary>
    public void WriteFloat32(float value)
    {
        Span<byte> span = _output.GetSpan(5);
        span[0] = MsgPackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
        _output.Advance(5);
    }

    /// <summary>Writes a str from bytes the caller guarantees to be UTF-8.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes a str, encoding <paramref name="value"/> as UTF-8 (lone surrogates become U+FFFD, as Node's Buffer does).</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteStringHeader(length);
        if (length > 0)
        {
            int written = Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
            _output.Advance(written);
        }
    }

    public void WriteStringHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= MsgPackCode.MaxFixStrLength)
        {
            WriteByte((byte)(MsgPackCode.MinFixStr | length));
        }
        else
        {
            WriteLengthHeader(length, MsgPackCode.Str8, MsgPackCode.Str16, MsgPackCode.Str32);
        }
    }

    public void WriteBinary(ReadOnlySpan<byte> bytes)
    {
        WriteLengthHeader(bytes.Length, MsgPackCode.Bin8, MsgPackCode.Bin16, MsgPackCode.Bin32);
        WriteRaw(bytes);
    }

    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= MsgPackCode.MaxFixCount)
        {
            WriteByte((byte)(MsgPackCode.MinFixArray | count));
        }
        else
        {
            WriteCountHeader(count, MsgPackCode.Array16, MsgPackCode.Array32);
        }
    }

    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= MsgPackCode.MaxFixCount)
        {
            WriteByte((byte)(MsgPackCode.MinFixMap | count));
        }
        else
        {
            WriteCountHeader(count, MsgPackCode.Map16, MsgPackCode.Map32);
        }
    }

    /// <summary>Writes an ext value: fixext when the data is 1, 2, 4, 8 or 16 bytes long, ext 8/16/32 otherwise.</summary>
    public void WriteExtension(sbyte type, ReadOnlySpan<byte> data)
    {
        byte fixCode = data.Length switch
        {
            1 => MsgPackCode.FixExt1,
            2 => MsgPackCode.FixExt2,
            4 => MsgPackCode.FixExt4,
            8 => MsgPackCode.FixExt8,
            16 => MsgPackCode.FixExt16,
            _ => 0,
        };
        if (fixCode != 0)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = fixCode;
            span[1] = unchecked((byte)type);
            _output.Advance(2);
        }
        else
        {
            WriteExtensionHeader(type, data.Length);
        }

        WriteRaw(data);
    }

    /// <summary>Writes an ext 8/16/32 header (never fixext, whatever the length); the caller writes the data.</summary>
    public void WriteExtensionHeader(sbyte type, int length)
    {
        WriteLengthHeader(length, MsgPackCode.Ext8, MsgPackCode.Ext16, MsgPackCode.Ext32);
        WriteByte(unchecked((byte)type));
    }

    /// <summary>Appends bytes as they are: for payloads after a header, or pre-encoded values.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            bytes.CopyTo(_output.GetSpan(bytes.Length));
            _output.Advance(bytes.Length);
        }
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    /// <summary>The 8/16/32-bit length header shared by str (above fixstr), bin and ext.</summary>
    private void WriteLengthHeader(int length, byte code8, byte code16, byte code32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= byte.MaxValue)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = code8;
            span[1] = (byte)length;
            _output.Advance(2);
        }
        else
        {
            WriteCountHeader(length, code16, code32);
        }
    }

    private void WriteCountHeader(int count, byte code16, byte code32)
    {
        if (count <= ushort.MaxValue)
        {
            Span<byte> span = _output.GetSpan(3);
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count);
            _output.Advance(3);
        }
        else
        {
            Span<byte> span = _output.GetSpan(5);
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
            _output.Advance(5);
        }
    }
}
