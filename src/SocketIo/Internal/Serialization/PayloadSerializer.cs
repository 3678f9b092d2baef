using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIo.Internal.Serialization;

/// <summary>Turns event arguments into a packet's JSON payload and attachments, and back.</summary>
internal sealed class PayloadSerializer
{
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoAttachments = [];
    private readonly JsonWriterOptions _writerOptions;

    public PayloadSerializer(JsonSerializerOptions userOptions)
    {
        var options = new JsonSerializerOptions(userOptions);
        // Like JSON.stringify, keep non-ASCII text as is: the payload is never embedded in HTML.
        options.Encoder ??= JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        BinaryConverters.AddTo(options);
        options.MakeReadOnly(populateMissingResolver: true);
        Options = options;
        _writerOptions = new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true };
    }

    public JsonSerializerOptions Options { get; }

    /// <summary>Writes <c>[eventName?, ...args]</c>; binary values become attachments.</summary>
    public (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) SerializeArray(string? eventName, ReadOnlySpan<object?> args)
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        var buffer = new ArrayBufferWriter<byte>(64);
        using (AttachmentScope.BeginOutgoing(attachments))
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions))
        {
            writer.WriteStartArray();
            if (eventName is not null) writer.WriteStringValue(eventName);
            foreach (var arg in args) WriteValue(writer, arg);
            writer.WriteEndArray();
        }
        return (buffer.WrittenSpan.ToArray(), attachments.Count == 0 ? NoAttachments : attachments);
    }

    /// <summary>Writes one value (a CONNECT or CONNECT_ERROR payload); binary values become attachments.</summary>
    public byte[] SerializeValue(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions)) WriteValue(writer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (value is null) writer.WriteNullValue();
        else JsonSerializer.Serialize(writer, value, value.GetType(), Options);
    }

    public T? Deserialize<T>(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        using (AttachmentScope.BeginIncoming(attachments)) return element.Deserialize<T>(Options);
    }

    public object? Deserialize(JsonElement element, Type type, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        using (AttachmentScope.BeginIncoming(attachments)) return element.Deserialize(type, Options);
    }

    /// <summary>
    /// Rebuilds a value as a JSON node tree in which every attachment placeholder is replaced by its bytes, so that
    /// it can be emitted again (its binary parts become attachments of the new packet).
    /// </summary>
    public static JsonNode? ToNode(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (attachments.Count > 0 && TryGetPlaceholder(element, attachments.Count, out var index))
                    return JsonValue.Create(attachments[index].ToArray());
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject()) obj[property.Name] = ToNode(property.Value, attachments);
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(ToNode(item, attachments));
                return array;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return JsonValue.Create(element);
        }
    }

    private static bool TryGetPlaceholder(JsonElement element, int count, out int index)
    {
        index = -1;
        return element.TryGetProperty("_placeholder"u8, out var flag) && flag.ValueKind == JsonValueKind.True
            && element.TryGetProperty("num"u8, out var num) && num.TryGetInt32(out index) && index >= 0 && index < count;
    }
}
