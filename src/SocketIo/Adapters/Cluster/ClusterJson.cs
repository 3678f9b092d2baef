using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using SocketIo.Internal.Serialization;

namespace SocketIo.Adapters.Cluster;

/// <summary>Builds and reads the <c>data</c> objects of cluster messages, in the reference's key order.</summary>
internal static class ClusterJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Object(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The socket.io packet object <c>{ type: 2, data }</c> of a broadcast. The reference publishes it before its
    /// in-memory adapter adds <c>nsp</c>, so the message's own <c>nsp</c> is the only one on the wire.
    /// </summary>
    public static void WritePacket(Utf8JsonWriter writer, AdapterPacket packet)
    {
        writer.WriteStartObject("packet");
        writer.WriteNumber("type", 2);
        writer.WritePropertyName("data");
        writer.WriteRawValue(packet.Data.Span, skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary><c>opts: { rooms, except, flags }</c>, flags holding only what differs from the defaults.</summary>
    public static void WriteOptions(Utf8JsonWriter writer, BroadcastOptions options)
    {
        writer.WriteStartObject("opts");
        WriteStrings(writer, "rooms", options.Rooms);
        WriteStrings(writer, "except", options.Except);
        writer.WriteStartObject("flags");
        if (!options.Compress) writer.WriteBoolean("compress", false);
        if (options.Volatile) writer.WriteBoolean("volatile", true);
        if (options.Timeout is { } timeout) writer.WriteNumber("timeout", (long)timeout.TotalMilliseconds);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    public static BroadcastOptions ReadOptions(JsonElement data)
    {
        if (!data.TryGetProperty("opts", out var opts) || opts.ValueKind != JsonValueKind.Object) return BroadcastOptions.Everyone;
        var flags = opts.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        TimeSpan? timeout = flags.ValueKind == JsonValueKind.Object && flags.TryGetProperty("timeout", out var t) && t.TryGetDouble(out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;
        return new BroadcastOptions
        {
            Rooms = ReadStrings(opts, "rooms"),
            Except = ReadStrings(opts, "except"),
            Volatile = flags.ValueKind == JsonValueKind.Object && flags.TryGetProperty("volatile", out var v) && v.ValueKind == JsonValueKind.True,
            Compress = !(flags.ValueKind == JsonValueKind.Object && flags.TryGetProperty("compress", out var c) && c.ValueKind == JsonValueKind.False),
            Timeout = timeout,
        };
    }

    /// <summary>Strings of an array property; rooms may be numbers (JavaScript Map keys of any type).</summary>
    public static ImmutableHashSet<string> ReadStrings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) return ImmutableHashSet<string>.Empty;
        var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) builder.Add(item.GetString()!);
            else if (item.ValueKind == JsonValueKind.Number) builder.Add(item.GetRawText());
        }
        return builder.ToImmutable();
    }

    /// <summary>One socket of a FETCH_SOCKETS_RESPONSE: <c>{ id, handshake, rooms, data }</c>.</summary>
    public static void WriteSocket(Utf8JsonWriter writer, string id, RemoteHandshake handshake, IEnumerable<string> rooms, ReadOnlySpan<byte> dataJson)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WritePropertyName("handshake");
        HandshakeJson.Write(writer, handshake);
        WriteStrings(writer, "rooms", rooms);
        writer.WritePropertyName("data");
        writer.WriteRawValue(dataJson, skipInputValidation: true);
        writer.WriteEndObject();
    }

    public static RemoteSocket? ReadSocket(SocketIoNamespace @namespace, JsonElement socket)
    {
        if (socket.ValueKind != JsonValueKind.Object || !socket.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) return null;
        var handshake = socket.TryGetProperty("handshake", out var h) ? HandshakeJson.Read(h) : new RemoteHandshake();
        object? data = socket.TryGetProperty("data", out var d) ? d.Clone() : null;
        return new RemoteSocket(@namespace, id.GetString()!, handshake, ReadStrings(socket, "rooms"), data);
    }
}
