using System.Buffers;
using System.Buffers.Text;
using System.Text;
using EngineIo.Internal;

namespace EngineIo;

/// <summary>
/// An outgoing Engine.IO packet, encoded once. The same instance can be sent to any number of sessions, whatever
/// their transport: a broadcast builds one message and every recipient writes the same bytes.
/// </summary>
public sealed class EngineMessage
{
    // Text packets keep their wire form: the packet type digit followed by the UTF-8 data, which is exactly a
    // WebSocket text frame and exactly one record of a v4 polling payload.
    private readonly byte[]? _textFrame;
    private readonly ReadOnlyMemory<byte> _binary;
    private byte[]? _base64Record;

    // The protocol v3 forms, made on first use by a v3 session and shared by every v3 recipient after that.
    private byte[]? _base64PacketV3;
    private byte[]? _binaryFrameV3;
    private int _textFrameUtf16Length = -1;

    private EngineMessage(EnginePacketType type, byte[] textFrame)
    {
        Type = type;
        _textFrame = textFrame;
    }

    private EngineMessage(ReadOnlyMemory<byte> binary)
    {
        Type = EnginePacketType.Message;
        IsBinary = true;
        _binary = binary;
    }

    /// <summary>Whether this is a binary message.</summary>
    public bool IsBinary { get; }

    /// <summary>The size of the message's data in bytes (UTF-8 for text).</summary>
    public int DataLength => IsBinary ? _binary.Length : _textFrame!.Length - 1;

    internal EnginePacketType Type { get; }

    /// <summary>Creates a text message from a string.</summary>
    public static EngineMessage Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var frame = new byte[1 + Encoding.UTF8.GetByteCount(text)];
        frame[0] = (byte)'4';
        Encoding.UTF8.GetBytes(text, frame.AsSpan(1));
        return new EngineMessage(EnginePacketType.Message, frame);
    }

    /// <summary>Creates a text message from UTF-8 bytes (copied).</summary>
    public static EngineMessage Text(ReadOnlySpan<byte> utf8) => Create(EnginePacketType.Message, utf8);

    /// <summary>
    /// Creates a text message of <paramref name="length"/> UTF-8 bytes that <paramref name="write"/> puts in place,
    /// with no intermediate buffer.
    /// </summary>
    internal static EngineMessage Text<TState>(int length, TState state, SpanAction<byte, TState> write)
    {
        var frame = new byte[1 + length];
        frame[0] = (byte)'4';
        write(frame.AsSpan(1), state);
        return new EngineMessage(EnginePacketType.Message, frame);
    }

    /// <summary>
    /// Creates a binary message. The memory is not copied: it must not change while the message may still be sent.
    /// </summary>
    public static EngineMessage Binary(ReadOnlyMemory<byte> data) => new(data);

    internal static EngineMessage Create(EnginePacketType type, ReadOnlySpan<byte> utf8Data)
    {
        var frame = new byte[1 + utf8Data.Length];
        frame[0] = (byte)('0' + (byte)type);
        utf8Data.CopyTo(frame.AsSpan(1));
        return new EngineMessage(type, frame);
    }

    internal static EngineMessage Create(EnginePacketType type, string data) => Create(type, Encoding.UTF8.GetBytes(data));

    /// <summary>The packet as one WebSocket frame's payload: text with its type digit, or the raw binary data.</summary>
    internal ReadOnlyMemory<byte> WebSocketFrame => IsBinary ? _binary : _textFrame;

    /// <summary>The raw binary data (binary messages only).</summary>
    internal ReadOnlyMemory<byte> BinaryData => _binary;

    /// <summary>The text frame: type digit then UTF-8 data (text packets only).</summary>
    internal ReadOnlySpan<byte> TextFrame => _textFrame;

    /// <summary>
    /// The packet as one record of a protocol v4 polling payload: the text frame, or <c>b</c> followed by the base64
    /// of the binary data. The base64 form is computed once and shared by every polling recipient.
    /// </summary>
    internal ReadOnlyMemory<byte> PollingRecord => IsBinary ? CachedBase64(ref _base64Record, "b"u8) : _textFrame;

    /// <summary>
    /// Protocol v3's text form of a binary message: <c>b4</c> followed by the base64 of the data. It is a polling
    /// record for clients without binary support, and a WebSocket text frame for those that asked for base64.
    /// </summary>
    internal ReadOnlyMemory<byte> Base64PacketV3 => CachedBase64(ref _base64PacketV3, "b4"u8);

    /// <summary>
    /// Protocol v3's binary form of a binary message: the packet type as a byte (4, not the digit) followed by the
    /// data. It is a WebSocket binary frame, and the content of a binary polling record.
    /// </summary>
    internal ReadOnlyMemory<byte> BinaryFrameV3
    {
        get
        {
            var frame = Volatile.Read(ref _binaryFrameV3);
            if (frame is null)
            {
                frame = new byte[1 + _binary.Length];
                frame[0] = (byte)EnginePacketType.Message;
                _binary.Span.CopyTo(frame.AsSpan(1));
                Volatile.Write(ref _binaryFrameV3, frame);
            }
            return frame;
        }
    }

    /// <summary>
    /// The length of the text frame in UTF-16 code units, which is what protocol v3 polling payloads count (they were
    /// designed around JavaScript strings): a character outside the Basic Multilingual Plane counts twice.
    /// </summary>
    internal int TextFrameUtf16Length
    {
        get
        {
            var length = Volatile.Read(ref _textFrameUtf16Length);
            if (length < 0)
            {
                length = Encoding.UTF8.GetCharCount(_textFrame!);
                Volatile.Write(ref _textFrameUtf16Length, length);
            }
            return length;
        }
    }

    /// <summary>The binary data in base64 after <paramref name="prefix"/>, encoded on first use and kept in <paramref name="cache"/>.</summary>
    private byte[] CachedBase64(ref byte[]? cache, ReadOnlySpan<byte> prefix)
    {
        var encoded = Volatile.Read(ref cache);
        if (encoded is not null) return encoded;
        // A benign race: two threads may both encode; either result is correct.
        encoded = new byte[prefix.Length + Base64.GetMaxEncodedToUtf8Length(_binary.Length)];
        prefix.CopyTo(encoded);
        Base64.EncodeToUtf8(_binary.Span, encoded.AsSpan(prefix.Length), out _, out _);
        Volatile.Write(ref cache, encoded);
        return encoded;
    }
}
