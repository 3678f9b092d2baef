using System.Buffers;
using MessagePack;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// Writes msgpack values into an <see cref="IBufferWriter{T}"/>, always in the smallest encoding, on
/// MessagePack-CSharp's <c>MessagePackWriter</c>. Integers come out as notepack.io (the codec of the
/// npm <c>socket.io-msgpack-parser</c>) writes them: non-negative values as positive fixint or uint 8–64,
/// negative ones as negative fixint or int 8–64, so the same value produces the same bytes on both sides.
/// </summary>
/// <remarks>
/// A thin stateless wrapper: each call runs one <c>MessagePackWriter</c> and flushes it, so copying
/// this struct is free, every copy appends to the same output, and no caller has to remember a final flush.
/// The cost is one <c>GetMemory</c>/<c>Advance</c> pair per value, the same as a hand-written writer pays.
/// </remarks>
internal readonly struct MsgPackWriter
{
    private readonly IBufferWriter<byte> _output;

    public MsgPackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    public void WriteNil()
    {
        MessagePackWriter writer = new(_output);
        writer.WriteNil();
        writer.Flush();
    }

    public void WriteBoolean(bool value)
    {
        MessagePackWriter writer = new(_output);
        writer.Write(value);
        writer.Flush();
    }

    public void WriteInt64(long value)
    {
        // Write(long) picks the smallest format, unsigned ones for values >= 0 (as notepack does).
        MessagePackWriter writer = new(_output);
        writer.Write(value);
        writer.Flush();
    }

    public void WriteUInt64(ulong value)
    {
        MessagePackWriter writer = new(_output);
        writer.Write(value);
        writer.Flush();
    }

    /// <summary>Writes a float 64 (notepack writes every non-integral number this way).</summary>
    public void WriteFloat64(double value)
    {
        MessagePackWriter writer = new(_output);
        writer.Write(value);
        writer.Flush();
    }

    /// <summary>Writes a float 32.</summary>
    public void WriteFloat32(float value)
    {
        MessagePackWriter writer = new(_output);
        writer.Write(value);
        writer.Flush();
    }

    /// <summary>Writes a str from bytes the caller guarantees to be UTF-8.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        MessagePackWriter writer = new(_output);
        writer.WriteString(utf8);
        writer.Flush();
    }

    /// <summary>Writes a str, encoding <paramref name="value"/> as UTF-8 (lone surrogates become U+FFFD, as Node's Buffer does).</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        MessagePackWriter writer = new(_output);
        if (value.IsEmpty)
        {
            // MessagePackWriter.Write(ReadOnlySpan<char>) throws for an empty span in 2.5.
            writer.WriteStringHeader(0);
        }
        else
        {
            writer.Write(value);
        }

        writer.Flush();
    }

    public void WriteStringHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        MessagePackWriter writer = new(_output);
        writer.WriteStringHeader(length);
        writer.Flush();
    }

    public void WriteBinary(ReadOnlySpan<byte> bytes)
    {
        MessagePackWriter writer = new(_output);
        writer.Write(bytes);
        writer.Flush();
    }

    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        MessagePackWriter writer = new(_output);
        writer.WriteArrayHeader(count);
        writer.Flush();
    }

    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        MessagePackWriter writer = new(_output);
        writer.WriteMapHeader(count);
        writer.Flush();
    }

    /// <summary>Writes an ext value: fixext when the data is 1, 2, 4, 8 or 16 bytes long, ext 8/16/32 otherwise.</summary>
    public void WriteExtension(sbyte type, ReadOnlySpan<byte> data)
    {
        MessagePackWriter writer = new(_output);
        writer.WriteExtensionFormatHeader(new ExtensionHeader(type, data.Length));
        writer.WriteRaw(data);
        writer.Flush();
    }

    /// <summary>Writes an ext 8/16/32 header (never fixext, whatever the length); the caller writes the data.</summary>
    /// <remarks>
    /// <c>MessagePackWriter.WriteExtensionFormatHeader</c> always prefers fixext, but notepack tells an
    /// ArrayBuffer (ext 8/16/32, type 0) from a Date (fixext 8, type 0) by the format byte alone, so the header
    /// is assembled here.
    /// </remarks>
    public void WriteExtensionHeader(sbyte type, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Span<byte> header = stackalloc byte[6];
        int size;
        if (length <= byte.MaxValue)
        {
            header[0] = MessagePackCode.Ext8;
            header[1] = (byte)length;
            size = 2;
        }
        else if (length <= ushort.MaxValue)
        {
            header[0] = MessagePackCode.Ext16;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(header[1..], (ushort)length);
            size = 3;
        }
        else
        {
            header[0] = MessagePackCode.Ext32;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)length);
            size = 5;
        }

        header[size++] = unchecked((byte)type);
        WriteRaw(header[..size]);
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
}
