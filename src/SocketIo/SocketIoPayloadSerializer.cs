using System.Text.Json;
using SocketIo.Internal.Serialization;

namespace SocketIo;

/// <summary>
/// Turns the values of event arguments, acknowledgements and connection refusals into JSON and back. The default
/// is System.Text.Json with <see cref="SocketIoOptions.JsonSerializerOptions"/>; set
/// <see cref="SocketIoOptions.PayloadSerializer"/> to another implementation (for example the Newtonsoft.Json one of
/// the <c>SocketIo.NewtonsoftJson</c> package) for models written for another serializer.
/// </summary>
/// <remarks>
/// Binary values must travel as Socket.IO attachments: an implementation writes them with
/// <see cref="WriteBinary"/>, and reads them back with <see cref="TryReadBinary"/>. JSON documents the library
/// itself produces (<see cref="JsonElement"/> and <c>System.Text.Json.Nodes.JsonNode</c> values, such as those of
/// <see cref="SocketIoArguments.ToArray"/>) never reach an implementation: they are written as they are.
/// </remarks>
public abstract class SocketIoPayloadSerializer
{
    /// <summary>Writes <paramref name="value"/> (never null) as one JSON value.</summary>
    public abstract void Serialize(Utf8JsonWriter writer, object value);

    /// <summary>Reads <paramref name="element"/> as an instance of <paramref name="type"/>.</summary>
    public abstract object? Deserialize(JsonElement element, Type type);

    /// <summary>
    /// Writes binary data: as an attachment placeholder when a packet is being written (the bytes become one of its
    /// attachments), as a base64 string otherwise. The caller must not change the bytes afterwards.
    /// </summary>
    protected static void WriteBinary(Utf8JsonWriter writer, ReadOnlyMemory<byte> bytes) => BinaryConverters.WriteBinary(writer, bytes);

    /// <summary>
    /// Whether <paramref name="element"/> is the placeholder of one of the attachments of the packet being read,
    /// and if so, its bytes.
    /// </summary>
    protected static bool TryReadBinary(JsonElement element, out ReadOnlyMemory<byte> bytes) =>
        BinaryConverters.TryResolvePlaceholder(element, out bytes);
}
