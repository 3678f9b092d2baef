using System.Text.Encodings.Web;
using System.Text.Json;

namespace SocketIo.Internal.Serialization;

/// <summary>The default payload serializer: System.Text.Json, with byte arrays as attachments.</summary>
internal sealed class SystemTextJsonPayloadSerializer : SocketIoPayloadSerializer
{
    public SystemTextJsonPayloadSerializer(JsonSerializerOptions userOptions)
    {
        var options = new JsonSerializerOptions(userOptions);
        // Like JSON.stringify, keep non-ASCII text as is: the payload is never embedded in HTML.
        options.Encoder ??= JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        BinaryConverters.AddTo(options);
        options.MakeReadOnly(populateMissingResolver: true);
        Options = options;
    }

    public JsonSerializerOptions Options { get; }

    public override void Serialize(Utf8JsonWriter writer, object value) => JsonSerializer.Serialize(writer, value, value.GetType(), Options);

    public override object? Deserialize(JsonElement element, Type type) => element.Deserialize(type, Options);
}
