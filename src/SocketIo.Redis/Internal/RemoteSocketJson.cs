using System.Collections.Immutable;
using System.Text.Json;
using SocketIo.Internal.Serialization;

namespace SocketIo.Redis.Internal;

/// <summary>A socket as a REMOTE_FETCH response carries it: <c>{id, handshake, rooms, data}</c>.</summary>
internal static class RemoteSocketJson
{
    public static void Write(Utf8JsonWriter writer, RemoteSocket socket, JsonSerializerOptions json)
    {
        var handshake = socket.Handshake;
        writer.WriteStartObject();
        writer.WriteString("id", socket.Id);
        writer.WritePropertyName("handshake");
        HandshakeJson.Write(writer, handshake);
        ClassicWire.WriteStrings(writer, "rooms", socket.Rooms);
        writer.WritePropertyName("data");
        // JSON.stringify drops an undefined data; null is what an unset .NET Data writes.
        JsonSerializer.Serialize(writer, socket.Data, json);
        writer.WriteEndObject();
    }

    public static RemoteSocket? TryRead(SocketIoNamespace @namespace, JsonElement socket)
    {
        if (socket.ValueKind != JsonValueKind.Object || !socket.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) return null;
        var rooms = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        if (socket.TryGetProperty("rooms", out var roomList) && roomList.ValueKind == JsonValueKind.Array)
        {
            foreach (var room in roomList.EnumerateArray())
            {
                if (room.ValueKind == JsonValueKind.String) rooms.Add(room.GetString()!);
                else if (room.ValueKind == JsonValueKind.Number) rooms.Add(room.GetRawText());
            }
        }
        var handshake = socket.TryGetProperty("handshake", out var h) ? HandshakeJson.Read(h) : new RemoteHandshake();
        object? data = socket.TryGetProperty("data", out var d) ? d.Clone() : null;
        return new RemoteSocket(@namespace, id.GetString()!, handshake, rooms.ToImmutable(), data);
    }
}
