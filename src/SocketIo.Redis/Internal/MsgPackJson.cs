using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MessagePack;

namespace SocketIo.Redis.Internal;

/// <summary>
/// Converts between the values of a Socket.IO payload as this server keeps them (UTF-8 JSON, binary values as
/// <c>{"_placeholder":true,"num":N}</c> placeholders into a list of attachments) and notepack's msgpack, the format
/// Node's Redis adapter puts on the wire (binary values inline as <c>bin</c>).
/// </summary>
internal static class MsgPackJson
{
    // Deeper payloads are refused rather than recursed into: a peer's message must not exhaust the stack.
    public const int MaxDepth = 64;

    // Integers JavaScript holds exactly; larger whole numbers travel as doubles, as notepack writes them.
    private const double MaxSafeInteger = 9007199254740991d;

    /// <summary>Writes a JSON value as msgpack, placeholders as <c>bin</c> of their attachment.</summary>
    public static void Write(ref MessagePackWriter writer, JsonElement value, IReadOnlyList<ReadOnlyMemory<byte>> attachments, int depth = 0)
    {
        if (depth > MaxDepth) throw new InvalidOperationException("The payload is nested too deeply.");
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                writer.WriteNil();
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            case JsonValueKind.String:
                writer.Write(value.GetString());
                break;
            case JsonValueKind.Number:
                WriteNumber(ref writer, value);
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray()) Write(ref writer, item, attachments, depth + 1);
                break;
            case JsonValueKind.Object:
                if (TryGetPlaceholder(value, attachments.Count, out var index))
                {
                    var bytes = attachments[index].Span;
                    writer.WriteBinHeader(bytes.Length);
                    writer.WriteRaw(bytes);
                    break;
                }
                var count = 0;
                foreach (var _ in value.EnumerateObject()) count++;
                writer.WriteMapHeader(count);
                foreach (var property in value.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value, attachments, depth + 1);
                }
                break;
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, JsonElement value)
    {
        if (value.TryGetInt64(out var integer) && Math.Abs((double)integer) <= MaxSafeInteger)
        {
            writer.Write(integer);
            return;
        }
        var number = value.GetDouble();
        // JavaScript has no integer type: 1e3 is the integer 1000, and notepack writes it as one.
        if (Math.Abs(number) <= MaxSafeInteger && Math.Floor(number) == number && !(number == 0 && double.IsNegative(number)))
            writer.Write((long)number);
        else
            writer.Write(number);
    }

    private static bool TryGetPlaceholder(JsonElement value, int attachmentCount, out int index)
    {
        index = -1;
        if (!value.TryGetProperty("_placeholder", out var flag) || flag.ValueKind != JsonValueKind.True) return false;
        if (!value.TryGetProperty("num", out var num) || !num.TryGetInt32(out index)) return false;
        return index >= 0 && index < attachmentCount;
    }

    /// <summary>
    /// Reads one msgpack value as JSON, <c>bin</c> values becoming placeholders appended to
    /// <paramref name="attachments"/>. Throws a MessagePack serialization exception or
    /// <see cref="InvalidOperationException"/> on malformed input.
    /// </summary>
    public static void Read(ref MessagePackReader reader, Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, int depth = 0)
    {
        if (depth > MaxDepth) throw new InvalidOperationException("The payload is nested too deeply.");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64) json.WriteNumberValue(reader.ReadUInt64());
                else json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                // JSON has no NaN nor infinity; JSON.stringify writes null for them.
                if (double.IsFinite(number)) json.WriteNumberValue(number);
                else json.WriteNullValue();
                break;
            case MessagePackType.String:
                var text = reader.ReadStringSequence();
                if (text is null) json.WriteNullValue();
                else if (text.Value.IsSingleSegment) json.WriteStringValue(text.Value.FirstSpan);
                else json.WriteStringValue(text.Value.ToArray());
                break;
            case MessagePackType.Binary:
                var bytes = reader.ReadBytes();
                json.WriteStartObject();
                json.WriteBoolean("_placeholder", true);
                json.WriteNumber("num", attachments.Count);
                json.WriteEndObject();
                attachments.Add(bytes is null ? ReadOnlyMemory<byte>.Empty : bytes.Value.ToArray());
                break;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < length; i++) Read(ref reader, json, attachments, depth + 1);
                json.WriteEndArray();
                break;
            case MessagePackType.Map:
                var count = reader.ReadMapHeader();
                json.WriteStartObject();
                for (var i = 0; i < count; i++)
                {
                    json.WritePropertyName(ReadKey(ref reader));
                    Read(ref reader, json, attachments, depth + 1);
                }
                json.WriteEndObject();
                break;
            case MessagePackType.Extension:
                ReadExtension(ref reader, json);
                break;
            default:
                throw new InvalidOperationException("Unknown msgpack type.");
        }
    }

    /// <summary>Reads a map key or a room name: strings as they are, numbers in JavaScript's text form.</summary>
    public static string ReadKey(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                return reader.ReadString() ?? "null";
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64
                    ? reader.ReadUInt64().ToString(CultureInfo.InvariantCulture)
                    : reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
            case MessagePackType.Float:
                return FormatNumber(reader.ReadDouble());
            case MessagePackType.Boolean:
                return reader.ReadBoolean() ? "true" : "false";
            case MessagePackType.Nil:
                reader.ReadNil();
                return "null";
            default:
                throw new InvalidOperationException("A key must be a string or a number.");
        }
    }

    /// <summary>A number as JavaScript's <c>String(n)</c> writes it (for rooms given as numbers).</summary>
    public static string FormatNumber(double number) =>
        Math.Floor(number) == number && Math.Abs(number) < 1e21 ? ((decimal)number).ToString(CultureInfo.InvariantCulture) : number.ToString("R", CultureInfo.InvariantCulture);

    private static void ReadExtension(ref MessagePackReader reader, Utf8JsonWriter json)
    {
        var header = reader.ReadExtensionFormatHeader();
        var data = reader.ReadRaw(header.Length);
        if (header.TypeCode == -1 && TryReadTimestamp(data, out var time))
        {
            // notepack's Date: JSON clients get what JSON.stringify writes, an ISO 8601 string with milliseconds.
            json.WriteStringValue(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            return;
        }
        // notepack's undefined (fixext 1, type 0) and unknown extensions: JSON has no such value.
        json.WriteNullValue();
    }

    private static bool TryReadTimestamp(ReadOnlySequence<byte> data, out DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[12];
        time = default;
        if (data.Length is not (4 or 8 or 12)) return false;
        data.CopyTo(bytes);
        long seconds;
        long nanoseconds = 0;
        switch (data.Length)
        {
            case 4:
                seconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
                break;
            case 8:
                var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
                nanoseconds = (long)(value >> 34);
                seconds = (long)(value & 0x3_FFFF_FFFFUL);
                break;
            default:
                nanoseconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
                seconds = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes[4..]);
                break;
        }
        try
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds(seconds * 1000 + nanoseconds / 1_000_000);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
