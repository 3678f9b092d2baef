using Newtonsoft.Json;
using SocketIo.Internal.Serialization;

namespace SocketIo.NewtonsoftJson;

/// <summary>
/// Writes a <see cref="SocketIoHandshake"/> or <see cref="RemoteHandshake"/> found inside a value with the library's
/// own handshake writer, so that both serializers give the reference's shape. Write only.
/// </summary>
internal sealed class HandshakeConverter : JsonConverter
{
    public override bool CanRead => false;

    public override bool CanConvert(Type objectType) => objectType == typeof(SocketIoHandshake) || objectType == typeof(RemoteHandshake);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        var handshake = value switch
        {
            SocketIoHandshake local => RemoteHandshake.From(local),
            RemoteHandshake remote => remote,
            _ => null,
        };
        if (handshake is null) writer.WriteNull();
        else writer.WriteRawValue(HandshakeJson.ToJson(handshake));
    }

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
        throw new NotSupportedException("A handshake is not read through Newtonsoft.Json.");
}
