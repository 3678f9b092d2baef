using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// The Socket.IO msgpack parser, wire-compatible with the npm <c>socket.io-msgpack-parser</c> 3.0.2
/// (and its codec notepack.io 2.2): a packet is one msgpack map <c>{type, nsp, data?, id?}</c> sent as
/// a single binary engine message; binaries travel inside it as native bin, never as attachments.
/// </summary>
/// <remarks>
/// <para><b>Decoding</b> (<see cref="TryDecode"/>) validates a packet received from a client. It applies
/// the npm decoder's checks: the message is exactly one msgpack value (no trailing bytes); <c>type</c>
/// is an integer (an integral float counts, as <c>Number.isInteger</c> allows) from 0 to 4 (there are
/// no BINARY_* types in this format); <c>nsp</c> is a str; <c>data</c> is absent or a map for CONNECT,
/// absent for DISCONNECT, a str or map for CONNECT_ERROR, an array for EVENT and ACK; <c>id</c> is absent
/// or an integer. A field whose value is notepack's <c>undefined</c> counts as absent, as in JavaScript.
/// Unknown keys are ignored (after being checked as well-formed msgpack), and a repeated key takes its
/// last value, as decoding into a JavaScript object does. Stricter than npm, as a server should be:
/// <c>nsp</c> must start with <c>/</c>; EVENT data must be a non-empty array whose first element is a
/// str event name other than the reserved <c>connect</c>, <c>connect_error</c>, <c>disconnect</c>,
/// <c>disconnecting</c>, <c>newListener</c>, <c>removeListener</c>; ACK needs an id; an id must not be
/// negative; payloads nest at most <see cref="MaxDepth"/> levels and carry at most
/// <see cref="MaxAttachments"/> binaries. Malformed input of any kind gives <see langword="false"/>
/// and a message; it never throws.</para>
/// <para>The payload becomes UTF-8 JSON as described on <see cref="MsgPackToJson"/>; each bin is copied
/// into <see cref="SocketIoPacket.Attachments"/> and replaced by a placeholder. The decoded
/// <see cref="SocketIoPacket.Type"/> stays what the client sent, <see cref="PacketType.Event"/> or
/// <see cref="PacketType.Ack"/>, even when there are attachments (never <see cref="PacketType.BinaryEvent"/>
/// or <see cref="PacketType.BinaryAck"/>): the layers above resolve placeholders from
/// <see cref="SocketIoPacket.Attachments"/> whatever the type says.</para>
/// <para><b>Encoding</b> (<see cref="Encode(SocketIoPacket)"/>) writes the map in the order type, nsp,
/// data, id; BINARY_EVENT/BINARY_ACK are written as EVENT/ACK and placeholders as bin, as
/// <see cref="JsonToMsgPack"/> describes. Its input comes from this server, so a bad packet throws.</para>
/// <para>The parser holds no state between calls and may be shared between threads. Bounding the
/// message size is the transport's job (Engine.IO's maxHttpBufferSize); every cost here is linear in it.</para>
/// </remarks>
internal sealed class MsgPackPacketParser
{
    /// <summary>
    /// The default payload nesting limit: System.Text.Json's own default, so a payload this parser
    /// accepts can be read by a default <see cref="JsonDocument"/> or <see cref="JsonSerializer"/>,
    /// and a JSON-parser client and a msgpack client get the same limit.
    /// </summary>
    public const int DefaultMaxDepth = 64;

    private static readonly JsonWriterOptions JsonOptionsTemplate = new()
    {
        // The JSON is a payload for JSON readers, never text embedded in HTML by this layer, so
        // only what JSON itself requires is escaped; the default encoder would turn every
        // non-ASCII character into a six-byte \uXXXX and triple the size of non-Latin text.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="maxDepth">How deeply a decoded payload may nest (its outermost array or object is level 1).</param>
    /// <param name="maxAttachments">How many binary values a decoded packet may carry; unlimited by default, as in npm.</param>
    public MsgPackPacketParser(int maxDepth = DefaultMaxDepth, int maxAttachments = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxAttachments);
        MaxDepth = maxDepth;
        MaxAttachments = maxAttachments;
    }

    /// <summary>How deeply a decoded payload may nest.</summary>
    public int MaxDepth { get; }

    /// <summary>How many binary values a decoded packet may carry.</summary>
    public int MaxAttachments { get; }

    /// <summary>Encodes <paramref name="packet"/> as the single binary message that carries it.</summary>
    public byte[] Encode(SocketIoPacket packet)
    {
        // Written into this thread's scratch buffer, then copied once at its exact size: a buffer per packet, grown
        // and then trimmed, was two copies of every payload. Nothing in the conversion runs application code, so
        // the scratch buffer is never in use twice on one thread.
        var output = t_scratch ??= new ArrayBufferWriter<byte>(1024);
        try
        {
            Encode(packet, output);
            return output.WrittenSpan.ToArray();
        }
        finally
        {
            ReleaseScratch(output);
        }
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_scratch;
    [ThreadStatic] private static Utf8JsonWriter? t_jsonWriter;

    // A scratch buffer that grew for one big payload is dropped rather than kept by the thread.
    private const int MaxRetainedScratch = 64 * 1024;

    private static void ReleaseScratch(ArrayBufferWriter<byte> scratch)
    {
        if (scratch.Capacity > MaxRetainedScratch) t_scratch = null;
        else scratch.ResetWrittenCount();
    }

    /// <summary>Writes the single binary message that carries <paramref name="packet"/> into <paramref name="output"/>.</summary>
    /// <exception cref="JsonException">The packet's data is not valid JSON.</exception>
    /// <exception cref="ArgumentException">A placeholder in the data does not refer to an attachment.</exception>
    public void Encode(SocketIoPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        MsgPackWriter writer = new(output);

        // This format has no BINARY_* types: binaries are ordinary values inside the map.
        PacketType type = packet.Type switch
        {
            PacketType.BinaryEvent => PacketType.Event,
            PacketType.BinaryAck => PacketType.Ack,
            _ => packet.Type,
        };

        writer.WriteMapHeader(2 + (packet.HasData ? 1 : 0) + (packet.Id.HasValue ? 1 : 0));
        writer.WriteString("type"u8);
        writer.WriteInt64((long)type);
        writer.WriteString("nsp"u8);
        writer.WriteString(packet.Namespace.AsSpan());
        if (packet.HasData)
        {
            writer.WriteString("data"u8);

            // One level more than decoding allows: a placeholder object may sit one level below
            // the deepest value the application's serializer produced.
            JsonToMsgPack.Write(packet.Data.Span, packet.Attachments, writer, MaxDepth + 1);
        }

        if (packet.Id is long id)
        {
            writer.WriteString("id"u8);
            writer.WriteInt64(id);
        }
    }

    /// <summary>Decodes and validates one binary message received from a client.</summary>
    /// <returns><see langword="true"/> with the packet, or <see langword="false"/> with a short reason; never throws for bad input.</returns>
    public bool TryDecode(ReadOnlyMemory<byte> message, [NotNullWhen(true)] out SocketIoPacket? packet, [NotNullWhen(false)] out string? error)
    {
        packet = null;
        if (!TryFindFields(message, out Fields fields, out error))
        {
            return false;
        }

        // type
        if (!TryReadIntegral(message, fields.Type, out long typeValue) || typeValue is < (long)PacketType.Connect or > (long)PacketType.ConnectError)
        {
            error = "invalid packet type";
            return false;
        }

        PacketType type = (PacketType)typeValue;

        // nsp
        MsgPackReader nspReader = new(Slice(message, fields.Namespace));
        if (fields.Namespace.IsAbsent || !nspReader.TryReadString(out ReadOnlySpan<byte> nsp))
        {
            error = "invalid namespace";
            return false;
        }

        if (nsp.IsEmpty || nsp[0] != (byte)'/')
        {
            error = "invalid namespace: it must start with '/'";
            return false;
        }

        // id
        long? id = null;
        if (!fields.Id.IsAbsent)
        {
            if (!TryReadIntegral(message, fields.Id, out long idValue) || idValue < 0)
            {
                error = "invalid packet id";
                return false;
            }

            id = idValue;
        }
        else if (type == PacketType.Ack)
        {
            error = "invalid packet id: an ACK needs one";
            return false;
        }

        // data
        ReadOnlyMemory<byte> data = Slice(message, fields.Data);
        if (!IsDataValid(type, data, out error))
        {
            return false;
        }

        ReadOnlyMemory<byte> json = ReadOnlyMemory<byte>.Empty;
        List<ReadOnlyMemory<byte>>? attachments = null;
        if (!fields.Data.IsAbsent)
        {
            // Converted in this thread's scratch buffer with a reused JSON writer, then copied once at its exact size
            // (the packet keeps it): msgpack is the denser encoding, so a buffer per packet had to be oversized.
            var buffer = t_scratch ??= new ArrayBufferWriter<byte>(1024);
            try
            {
                var writer = JsonWriterFor(buffer);
                MsgPackReader dataReader = new(data);
                var converted = MsgPackToJson.TryConvert(ref dataReader, writer, ref attachments, MaxDepth, MaxAttachments, out string? conversionError);
                writer.Flush();
                if (!converted)
                {
                    error = "invalid payload: " + conversionError;
                    return false;
                }
                json = buffer.WrittenSpan.ToArray();
            }
            finally
            {
                ReleaseScratch(buffer);
            }
        }

        packet = new SocketIoPacket(
            type,
            nsp.SequenceEqual("/"u8) ? "/" : Encoding.UTF8.GetString(nsp), // the main namespace, without allocating
            id,
            json,
            attachments is null ? [] : attachments);
        error = null;
        return true;
    }

    /// <summary>This thread's JSON writer over <paramref name="buffer"/>, made again only for other limits.</summary>
    private Utf8JsonWriter JsonWriterFor(ArrayBufferWriter<byte> buffer)
    {
        if (t_jsonWriter is { } cached && cached.Options.MaxDepth == MaxDepth)
        {
            cached.Reset(buffer);
            return cached;
        }
        JsonWriterOptions options = JsonOptionsTemplate;
        options.MaxDepth = MaxDepth;
        return t_jsonWriter = new Utf8JsonWriter(buffer, options);
    }

    /// <summary>
    /// Walks the top-level map once, checking every key and value as msgpack, and records where the
    /// four known fields' values are. Values that are notepack's undefined are recorded as absent.
    /// </summary>
    /// <remarks>
    /// The data value is thus read twice, here and when converted. That keeps the rules simple (keys
    /// come in any order, the last of repeated keys wins, the payload is judged by the final type)
    /// for a linear cost, and the conversion never starts on a message that is malformed elsewhere.
    /// </remarks>
    private bool TryFindFields(ReadOnlyMemory<byte> message, out Fields fields, [NotNullWhen(false)] out string? error)
    {
        fields = default;
        MsgPackReader reader = new(message);
        if (!reader.TryReadMapHeader(out int count))
        {
            error = reader.Error == MsgPackError.UnexpectedType ? "invalid packet: not a msgpack map" : "invalid packet: " + reader.DescribeError();
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            // Only str keys can name a field; other keys (JavaScript would stringify them) are
            // skipped like any unknown key, but still have to be well-formed.
            bool isStringKey = reader.TryReadString(out ReadOnlySpan<byte> key);
            if (!isStringKey && (reader.Error != MsgPackError.UnexpectedType || !reader.TrySkip(MaxDepth)))
            {
                error = "invalid packet: " + reader.DescribeError();
                return false;
            }

            int valueStart = reader.Position;
            if (!reader.TrySkip(MaxDepth))
            {
                error = "invalid packet: " + reader.DescribeError();
                return false;
            }

            if (!isStringKey)
            {
                continue;
            }

            ValueRange range = IsUndefined(message.Slice(valueStart, reader.Position - valueStart))
                ? default
                : new ValueRange(valueStart, reader.Position - valueStart);
            if (key.SequenceEqual("type"u8))
            {
                fields.Type = range;
            }
            else if (key.SequenceEqual("nsp"u8))
            {
                fields.Namespace = range;
            }
            else if (key.SequenceEqual("data"u8))
            {
                fields.Data = range;
            }
            else if (key.SequenceEqual("id"u8))
            {
                fields.Id = range;
            }
        }

        if (!reader.IsAtEnd)
        {
            error = $"invalid packet: {reader.Remaining} trailing bytes";
            return false;
        }

        error = null;
        return true;
    }

    private static bool IsUndefined(ReadOnlyMemory<byte> value)
    {
        MsgPackReader reader = new(value);
        return reader.TryRead(out MsgPackToken token) && NotepackConventions.IsUndefined(token);
    }

    /// <summary>The npm decoder's payload rule for each type, plus the event-name rule.</summary>
    private static bool IsDataValid(PacketType type, ReadOnlyMemory<byte> data, [NotNullWhen(false)] out string? error)
    {
        error = null;
        MsgPackToken token = default;
        MsgPackReader reader = new(data);
        bool present = !data.IsEmpty && reader.TryRead(out token);
        bool valid = type switch
        {
            PacketType.Connect => !present || token.Kind == MsgPackTokenKind.Map,
            PacketType.Disconnect => !present,
            PacketType.ConnectError => present && token.Kind is MsgPackTokenKind.String or MsgPackTokenKind.Map,
            PacketType.Ack => present && token.Kind == MsgPackTokenKind.Array,
            PacketType.Event => present && token.Kind == MsgPackTokenKind.Array,
            _ => false,
        };
        if (!valid)
        {
            error = "invalid payload";
            return false;
        }

        if (type != PacketType.Event)
        {
            return true;
        }

        if (token.Count == 0 || !reader.TryReadString(out ReadOnlySpan<byte> name))
        {
            error = "invalid payload: an EVENT's first element must be the event name, a string";
            return false;
        }

        if (IsReservedEventName(name))
        {
            error = $"invalid payload: '{Encoding.UTF8.GetString(name)}' is a reserved event name";
            return false;
        }

        return true;
    }

    /// <summary>Event names a client may not emit (socket.io-parser's RESERVED_EVENTS).</summary>
    private static bool IsReservedEventName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("connect"u8)
        || name.SequenceEqual("connect_error"u8)
        || name.SequenceEqual("disconnect"u8)
        || name.SequenceEqual("disconnecting"u8)
        || name.SequenceEqual("newListener"u8)
        || name.SequenceEqual("removeListener"u8);

    /// <summary>An integer, or an integral float, as JavaScript's <c>Number.isInteger</c> accepts; it must fit in <see cref="long"/>.</summary>
    private static bool TryReadIntegral(ReadOnlyMemory<byte> message, ValueRange range, out long value)
    {
        value = 0;
        MsgPackReader reader = new(Slice(message, range));
        if (range.IsAbsent || !reader.TryRead(out MsgPackToken token))
        {
            return false;
        }

        if (token.Kind == MsgPackTokenKind.Integer)
        {
            return token.TryGetInt64(out value);
        }

        double d = token.Double;
        if (token.Kind != MsgPackTokenKind.Float || !double.IsFinite(d) || Math.Floor(d) != d
            || d < -9_223_372_036_854_775_808.0 || d >= 9_223_372_036_854_775_808.0)
        {
            return false;
        }

        value = (long)d;
        return true;
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> message, ValueRange range) => message.Slice(range.Start, range.Length);

    /// <summary>Where a value lies in the message; a zero length means absent (no msgpack value is empty).</summary>
    private readonly record struct ValueRange(int Start, int Length)
    {
        public bool IsAbsent => Length == 0;
    }

    private struct Fields
    {
        public ValueRange Type;
        public ValueRange Namespace;
        public ValueRange Data;
        public ValueRange Id;
    }
}
