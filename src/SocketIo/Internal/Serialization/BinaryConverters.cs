using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// Makes binary values travel as Socket.IO attachments: written as <c>{"_placeholder":true,"num":N}</c> with the
/// bytes moved to the packet's attachment list, and read back from a placeholder. Outside a packet (plain JSON) they
/// fall back to base64 strings, as System.Text.Json does by default.
/// </summary>
internal static class BinaryConverters
{
    public static void AddTo(JsonSerializerOptions options)
    {
        options.Converters.Insert(0, new ByteArrayConverter());
        options.Converters.Insert(0, new ReadOnlyMemoryConverter());
        options.Converters.Insert(0, new MemoryConverter());
    }

    internal static ReadOnlyMemory<byte> ReadBinary(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetBytesFromBase64();
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected binary data.");

        bool? isPlaceholder = null;
        long? num = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isFlag = reader.ValueTextEquals("_placeholder"u8);
            var isNum = reader.ValueTextEquals("num"u8);
            reader.Read();
            if (isFlag) isPlaceholder = reader.TokenType == JsonTokenType.True;
            else if (isNum && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n)) num = n;
            else reader.Skip();
        }

        var attachments = AttachmentScope.Incoming;
        if (isPlaceholder != true || num is not { } index || attachments is null || index < 0 || index >= attachments.Count)
            throw new JsonException("Expected a binary attachment placeholder.");
        return attachments[(int)index];
    }

    /// <summary>Resolves an attachment placeholder of the packet being read (see <see cref="AttachmentScope.Incoming"/>).</summary>
    internal static bool TryResolvePlaceholder(JsonElement element, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        return AttachmentScope.Incoming is { } attachments && TryGetAttachment(element, attachments, out bytes);
    }

    /// <summary>Whether <paramref name="element"/> is <c>{"_placeholder":true,"num":N}</c> with N an index of <paramref name="attachments"/>, and if so, those bytes.</summary>
    internal static bool TryGetAttachment(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (element.ValueKind != JsonValueKind.Object || attachments.Count == 0) return false;
        if (!element.TryGetProperty("_placeholder"u8, out var flag) || flag.ValueKind != JsonValueKind.True
            || !element.TryGetProperty("num"u8, out var num) || !num.TryGetInt32(out var index)
            || index < 0 || index >= attachments.Count)
        {
            return false;
        }
        bytes = attachments[index];
        return true;
    }

    internal static void WriteBinary(Utf8JsonWriter writer, ReadOnlyMemory<byte> value)
    {
        var attachments = AttachmentScope.Outgoing;
        if (attachments is null)
        {
            writer.WriteBase64StringValue(value.Span);
            return;
        }
        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder"u8, true);
        writer.WriteNumber("num"u8, attachments.Count);
        writer.WriteEndObject();
        attachments.Add(value);
    }

    private sealed class ByteArrayConverter : JsonConverter<byte[]>
    {
        public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBinary(ref reader).ToArray();

        // A copy: the caller may reuse its array once Emit returns, while the packet may still wait in a buffer.
        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => WriteBinary(writer, value.AsSpan().ToArray());
    }

    private sealed class ReadOnlyMemoryConverter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBinary(ref reader);

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => WriteBinary(writer, value);
    }

    private sealed class MemoryConverter : JsonConverter<Memory<byte>>
    {
        public override Memory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBinary(ref reader).ToArray();

        public override void Write(Utf8JsonWriter writer, Memory<byte> value, JsonSerializerOptions options) => WriteBinary(writer, value.ToArray());
    }
}
