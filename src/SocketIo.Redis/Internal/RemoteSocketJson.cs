using System.Collections.Immutable;
using System.Text.Json;

namespace SocketIo.Redis.Internal;

/// <summary>A socket as a REMOTE_FETCH response carries it: <c>{id, handshake, rooms, data}</c>.</summary>
internal static class RemoteSocketJson
{
    public static void Write(Utf8JsonWriter writer, RemoteSocket socket, JsonSerializerOptions json)
    {
        var handshake = socket.Handshake;
        writer.WriteStartObject();
        writer.WriteString("id", socket.Id);
        writer.WriteStartObject("handshake");
        writer.WriteStartObject("headers");
        foreach (var (name, value) in handshake.Headers) writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WriteString("time", handshake.Time);
        writer.WriteString("address", handshake.Address);
        writer.WriteBoolean("xdomain", handshake.XDomain);
        writer.WriteBoolean("secure", handshake.Secure);
        writer.WriteNumber("issued", handshake.Issued);
        writer.WriteString("url", handshake.Url);
        writer.WriteStartObject("query");
        foreach (var (name, value) in handshake.Query) writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WritePropertyName("auth");
        if (handshake.Auth.ValueKind == JsonValueKind.Undefined) writer.WriteStartObject();
        if (handshake.Auth.ValueKind == JsonValueKind.Undefined) writer.WriteEndObject();
        else handshake.Auth.WriteTo(writer);
        writer.WriteEndObject();
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
        var handshake = new RemoteHandshake();
        if (socket.TryGetProperty("handshake", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            handshake = new RemoteHandshake
            {
                Headers = Strings(h, "headers", ", "),
                Query = Strings(h, "query", ","),
                Address = String(h, "address"),
                Time = String(h, "time"),
                Issued = h.TryGetProperty("issued", out var issued) && issued.TryGetInt64(out var ms) ? ms : 0,
                Url = String(h, "url"),
                Secure = h.TryGetProperty("secure", out var secure) && secure.ValueKind == JsonValueKind.True,
                XDomain = h.TryGetProperty("xdomain", out var xdomain) && xdomain.ValueKind == JsonValueKind.True,
                Auth = h.TryGetProperty("auth", out var auth) ? auth.Clone() : default,
            };
        }
        object? data = socket.TryGetProperty("data", out var d) ? d.Clone() : null;
        return new RemoteSocket(@namespace, id.GetString()!, handshake, rooms.ToImmutable(), data);
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Strings(JsonElement parent, string name, string separator)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!parent.TryGetProperty(name, out var map) || map.ValueKind != JsonValueKind.Object) return result;
        foreach (var property in map.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Array => string.Join(separator, property.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                _ => property.Value.GetRawText(),
            };
        }
        return result;
    }
}
