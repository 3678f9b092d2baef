using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// The one writer of a handshake's JSON, in the reference's shape and key order (<c>headers, time, address, xdomain,
/// secure, issued, url, query, auth</c>): for an emitted <see cref="SocketIoHandshake"/> or
/// <see cref="RemoteHandshake"/>, and for the sockets of a cluster's fetch answers.
/// </summary>
internal static class HandshakeJson
{
    public static void Write(Utf8JsonWriter writer, RemoteHandshake handshake)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("headers"u8);
        foreach (var (name, value) in handshake.Headers) writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WriteString("time"u8, handshake.Time);
        writer.WriteString("address"u8, handshake.Address);
        writer.WriteBoolean("xdomain"u8, handshake.XDomain);
        writer.WriteBoolean("secure"u8, handshake.Secure);
        writer.WriteNumber("issued"u8, handshake.Issued);
        writer.WriteString("url"u8, handshake.Url);
        writer.WriteStartObject("query"u8);
        foreach (var (name, value) in handshake.Query) writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WritePropertyName("auth"u8);
        if (handshake.Auth.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            handshake.Auth.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a handshake another node (ours or the reference) wrote; what is missing or of another type is left at its
    /// default. Repeated headers and query parameters, which Node writes as arrays, are joined as <see cref="RemoteHandshake.From"/> joins them.
    /// </summary>
    public static RemoteHandshake Read(JsonElement handshake)
    {
        if (handshake.ValueKind != JsonValueKind.Object) return new RemoteHandshake();
        return new RemoteHandshake
        {
            Headers = Strings(handshake, "headers", ", ", StringComparer.OrdinalIgnoreCase),
            Query = Strings(handshake, "query", ",", StringComparer.Ordinal),
            Address = String(handshake, "address"),
            Time = String(handshake, "time"),
            Issued = handshake.TryGetProperty("issued", out var issued) && issued.TryGetInt64(out var ms) ? ms : 0,
            Url = String(handshake, "url"),
            Secure = handshake.TryGetProperty("secure", out var secure) && secure.ValueKind == JsonValueKind.True,
            XDomain = handshake.TryGetProperty("xdomain", out var xdomain) && xdomain.ValueKind == JsonValueKind.True,
            Auth = handshake.TryGetProperty("auth", out var auth) ? auth.Clone() : default,
        };
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Strings(JsonElement parent, string name, string separator, StringComparer comparer)
    {
        var result = new Dictionary<string, string>(comparer);
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

    /// <summary>The handshake as JSON text (for serializers that take raw JSON, such as Newtonsoft.Json's).</summary>
    public static string ToJson(RemoteHandshake handshake)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        // As JSON.stringify and the payload writer: non-ASCII and HTML-sensitive characters as they are.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) Write(writer, handshake);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// An instant as JavaScript's <c>Date.prototype.toString()</c> writes it on a server in UTC (the reference's
    /// <c>handshake.time</c>): "Sun Dec 06 2026 01:37:48 GMT+0000 (Coordinated Universal Time)".
    /// </summary>
    public static string DateString(DateTimeOffset time) =>
        time.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", CultureInfo.InvariantCulture);
}
