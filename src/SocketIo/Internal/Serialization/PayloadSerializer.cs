using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// Turns event arguments into a packet's JSON payload and attachments, and back: the packet framing and the
/// attachment scopes are here, the values go through the configured <see cref="SocketIoPayloadSerializer"/>.
/// </summary>
internal sealed class PayloadSerializer
{
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoAttachments = [];
    private readonly JsonWriterOptions _writerOptions;
    // JSON documents (JsonElement, JsonNode: forwarded arguments) are written by System.Text.Json whatever the
    // configured serializer, with the converters that turn their byte arrays into attachments.
    private readonly SystemTextJsonPayloadSerializer _documents;
    private readonly SocketIoPayloadSerializer _values;
    // Whether a JsonElement argument can be written as it is: true unless the options bring a converter of their own.
    private readonly bool _writesElementsDirectly;

    public PayloadSerializer(JsonSerializerOptions jsonOptions, SocketIoPayloadSerializer? values = null)
    {
        _documents = new SystemTextJsonPayloadSerializer(jsonOptions);
        _values = values ?? _documents;
        _writerOptions = new JsonWriterOptions { Encoder = _documents.Options.Encoder, SkipValidation = true };
        _writesElementsDirectly = _documents.Options.GetTypeInfo(typeof(JsonElement)).Converter.GetType().Assembly == typeof(JsonElement).Assembly;
    }

    /// <summary>Writes <c>[eventName?, ...args]</c>; binary values become attachments.</summary>
    public (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) SerializeArray(string? eventName, ReadOnlySpan<object?> args)
    {
        var payload = WriteArray(eventName, args);
        try
        {
            return (payload.WrittenMemory.ToArray(), payload.CopyAttachments(NoAttachments));
        }
        finally
        {
            payload.Return();
        }
    }

    /// <summary>
    /// Writes <c>[eventName?, ...args]</c> into this thread's <see cref="PayloadWriter"/>, which the caller returns
    /// once done with the bytes and the attachments: for a packet that is encoded at once and not kept (an ack).
    /// </summary>
    public PayloadWriter WriteArray(string? eventName, ReadOnlySpan<object?> args)
    {
        var payload = PayloadWriter.Rent(this, _writerOptions);
        try
        {
            var writer = payload.Json;
            using (AttachmentScope.BeginOutgoing(payload.Attachments))
            {
                writer.WriteStartArray();
                if (eventName is not null) writer.WriteStringValue(eventName);
                foreach (var arg in args) WriteValue(writer, arg);
                writer.WriteEndArray();
            }
            writer.Flush();
            return payload;
        }
        catch
        {
            payload.Return();
            throw;
        }
    }

    /// <summary>Writes one value (a CONNECT payload); binary values become attachments.</summary>
    public byte[] SerializeValue(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions)) WriteValue(writer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a CONNECT_ERROR payload: <c>{"message": ..., "data": ...}</c>, without <c>data</c> when there is none.</summary>
    public byte[] SerializeConnectError(string message, object? data)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message);
            if (data is not null)
            {
                writer.WritePropertyName("data"u8);
                WriteValue(writer, data);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (value is null) writer.WriteNullValue();
        // What System.Text.Json's own converter does for an element, without the trip through the serializer.
        else if (value is JsonElement element && _writesElementsDirectly) element.WriteTo(writer);
        else if (value is JsonElement or JsonNode) _documents.Serialize(writer, value);
        // The reference's shape whatever the configured serializer (Newtonsoft.Json would walk its IPAddress).
        else if (value is SocketIoHandshake handshake) HandshakeJson.Write(writer, RemoteHandshake.From(handshake));
        else if (value is RemoteHandshake remote) HandshakeJson.Write(writer, remote);
        else _values.Serialize(writer, value);
    }

    public T? Deserialize<T>(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments) =>
        (T?)Deserialize(element, typeof(T), attachments);

    public object? Deserialize(JsonElement element, Type type, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var serializer = type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type) ? _documents : _values;
        using (AttachmentScope.BeginIncoming(attachments)) return serializer.Deserialize(element, type);
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
                if (BinaryConverters.TryGetAttachment(element, attachments, out var bytes)) return JsonValue.Create(bytes.ToArray(), SocketIoJsonContext.Default.ByteArray);
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
}
