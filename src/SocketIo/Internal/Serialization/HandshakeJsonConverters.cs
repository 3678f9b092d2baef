using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// Writes an emitted <see cref="SocketIoHandshake"/> as the reference serializes <c>socket.handshake</c> (its
/// <see cref="System.Net.IPAddress"/> and request views have no JSON form of their own). Write only: a handshake is
/// made by the server, never read from a client.
/// </summary>
internal sealed class SocketIoHandshakeJsonConverter : JsonConverter<SocketIoHandshake>
{
    public override SocketIoHandshake Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A SocketIoHandshake cannot be read from JSON; read a RemoteHandshake instead.");

    public override void Write(Utf8JsonWriter writer, SocketIoHandshake value, JsonSerializerOptions options) =>
        HandshakeJson.Write(writer, RemoteHandshake.From(value));
}

/// <summary>A <see cref="RemoteHandshake"/> in the reference's shape, both ways (a cluster's answers carry it).</summary>
internal sealed class RemoteHandshakeJsonConverter : JsonConverter<RemoteHandshake>
{
    public override RemoteHandshake Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return HandshakeJson.Read(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, RemoteHandshake value, JsonSerializerOptions options) =>
        HandshakeJson.Write(writer, value);
}
