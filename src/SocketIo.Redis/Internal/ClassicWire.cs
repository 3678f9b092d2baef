using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using MessagePack;
using SocketIo.Adapters;

namespace SocketIo.Redis.Internal;

/// <summary>
/// The messages of @socket.io/redis-adapter 8.3.0 (classic mode) and of @socket.io/redis-emitter 5.1.0, byte for
/// byte: broadcasts as notepack msgpack <c>[uid, packet, opts]</c>, requests and responses as JSON, except the
/// BROADCAST request and the BROADCAST_ACK response, which are msgpack so that binary travels inline.
/// </summary>
internal static class ClassicWire
{
    private const int EventPacketType = 2;

    // ---- Encoding --------------------------------------------------------------------------------------------

    /// <summary>A broadcast: <c>[uid, {type:2, data, nsp}, {rooms, except, flags}]</c>.</summary>
    public static byte[] EncodeBroadcast(string uid, AdapterPacket packet, BroadcastOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + packet.Data.Length);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(uid);
        WritePacket(ref writer, packet);
        WriteOptions(ref writer, options, withFlags: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A BROADCAST request (a broadcast expecting acknowledgements): <c>{uid, requestId, type:7, packet, opts}</c>.</summary>
    public static byte[] EncodeBroadcastRequest(string uid, string requestId, AdapterPacket packet, BroadcastOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(96 + packet.Data.Length);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(5);
        writer.Write("uid");
        writer.Write(uid);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("type");
        writer.Write((int)RequestType.Broadcast);
        writer.Write("packet");
        WritePacket(ref writer, packet);
        writer.Write("opts");
        WriteOptions(ref writer, options, withFlags: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A BROADCAST_ACK response: <c>{type:9, requestId, packet: answer}</c>, the client's first ack argument.</summary>
    public static byte[] EncodeBroadcastAck(string requestId, SocketIoArguments answer)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write((int)RequestType.BroadcastAck);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("packet");
        if (answer.Count == 0) writer.WriteNil();
        else MsgPackJson.Write(ref writer, answer[0], answer.Attachments);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePacket(ref MessagePackWriter writer, AdapterPacket packet)
    {
        using var document = JsonDocument.Parse(packet.Data);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write(EventPacketType);
        writer.Write("data");
        MsgPackJson.Write(ref writer, document.RootElement, packet.Attachments);
        writer.Write("nsp");
        writer.Write(packet.Namespace);
    }

    private static void WriteOptions(ref MessagePackWriter writer, BroadcastOptions options, bool withFlags)
    {
        writer.WriteMapHeader(withFlags ? 3 : 2);
        writer.Write("rooms");
        writer.WriteArrayHeader(options.Rooms.Count);
        foreach (var room in options.Rooms) writer.Write(room);
        writer.Write("except");
        writer.WriteArrayHeader(options.Except.Count);
        foreach (var room in options.Except) writer.Write(room);
        if (!withFlags) return;
        writer.Write("flags");
        // As the reference's BroadcastOperator: only the flags that were set.
        var count = (options.Volatile ? 1 : 0) + (options.Compress ? 0 : 1) + (options.Timeout is null ? 0 : 1);
        writer.WriteMapHeader(count);
        if (!options.Compress)
        {
            writer.Write("compress");
            writer.Write(false);
        }
        if (options.Volatile)
        {
            writer.Write("volatile");
            writer.Write(true);
        }
        if (options.Timeout is { } timeout)
        {
            writer.Write("timeout");
            writer.Write((long)timeout.TotalMilliseconds);
        }
    }

    /// <summary>A JSON message, written by <paramref name="write"/> inside one object.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>opts</c> of a request: <c>{rooms, except}</c>.</summary>
    public static void WriteJsonOptions(Utf8JsonWriter writer, BroadcastOptions options)
    {
        writer.WriteStartObject("opts");
        writer.WriteStartArray("rooms");
        foreach (var room in options.Rooms) writer.WriteStringValue(room);
        writer.WriteEndArray();
        writer.WriteStartArray("except");
        foreach (var room in options.Except) writer.WriteStringValue(room);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    // ---- Decoding --------------------------------------------------------------------------------------------

    /// <summary>Decodes a broadcast <c>[uid, packet, opts]</c>; false when it is malformed.</summary>
    public static bool TryDecodeBroadcast(ReadOnlyMemory<byte> message, out string? uid, out AdapterPacket? packet, out BroadcastOptions? options)
    {
        uid = null;
        packet = null;
        options = null;
        try
        {
            var reader = new MessagePackReader(message);
            if (reader.ReadArrayHeader() < 3) return false;
            uid = reader.NextMessagePackType == MessagePackType.String ? reader.ReadString() : SkipAndNull(ref reader);
            packet = ReadPacket(ref reader);
            options = ReadOptions(ref reader);
            return packet is not null;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or InvalidOperationException or EndOfStreamException or JsonException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>Decodes a request or response: JSON when it starts with <c>{</c>, else msgpack. Null when malformed.</summary>
    public static ClusterMessage? TryDecodeMessage(ReadOnlyMemory<byte> message)
    {
        if (message.IsEmpty) return null;
        try
        {
            return message.Span[0] == (byte)'{' ? DecodeJson(message) : DecodeMsgPack(message);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or InvalidOperationException or EndOfStreamException or JsonException or ArgumentException or OverflowException or FormatException)
        {
            return null;
        }
    }

    private static ClusterMessage DecodeJson(ReadOnlyMemory<byte> message)
    {
        var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        var result = new ClusterMessage { Document = document };
        if (root.ValueKind != JsonValueKind.Object) return result;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type" when value.ValueKind == JsonValueKind.Number:
                    result.Type = (RequestType)value.GetInt32();
                    break;
                case "uid":
                    result.Uid = AsString(value);
                    break;
                case "requestId":
                    result.RequestId = AsString(value);
                    break;
                case "opts" when value.ValueKind == JsonValueKind.Object:
                    result.Options = JsonOptions(value);
                    break;
                case "rooms" when value.ValueKind == JsonValueKind.Array:
                    result.Rooms = [.. value.EnumerateArray().Select(AsString).OfType<string>()];
                    break;
                case "sid":
                    result.SocketId = AsString(value);
                    break;
                case "room":
                    result.Room = AsString(value);
                    break;
                case "close":
                    result.Close = value.ValueKind == JsonValueKind.True;
                    break;
                case "clientCount" when value.ValueKind == JsonValueKind.Number:
                    result.ClientCount = value.GetInt32();
                    break;
                case "data":
                case "sockets":
                    result.Data = value;
                    result.HasData = true;
                    break;
            }
        }
        return result;
    }

    private static ClusterMessage DecodeMsgPack(ReadOnlyMemory<byte> message)
    {
        var reader = new MessagePackReader(message);
        var result = new ClusterMessage();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = MsgPackJson.ReadKey(ref reader);
            switch (key)
            {
                case "type" when reader.NextMessagePackType == MessagePackType.Integer:
                    result.Type = (RequestType)reader.ReadInt32();
                    break;
                case "uid" when reader.NextMessagePackType == MessagePackType.String:
                    result.Uid = reader.ReadString();
                    break;
                case "requestId" when reader.NextMessagePackType == MessagePackType.String:
                    result.RequestId = reader.ReadString();
                    break;
                case "opts" when reader.NextMessagePackType == MessagePackType.Map:
                    result.Options = ReadOptions(ref reader);
                    break;
                case "packet" when reader.NextMessagePackType == MessagePackType.Map:
                    // A BROADCAST request's packet, or a BROADCAST_ACK's answer that happens to be an object: which
                    // one is known only from the type, which may come later; keep the raw bytes and read both ways.
                    var start = reader.Consumed;
                    reader.Skip();
                    var raw = message.Slice((int)start, (int)(reader.Consumed - start));
                    ReadAck(raw, result);
                    var packetReader = new MessagePackReader(raw);
                    try
                    {
                        result.Packet = ReadPacket(ref packetReader);
                    }
                    catch (Exception ex) when (ex is MessagePackSerializationException or InvalidOperationException or JsonException)
                    {
                        result.Packet = null;
                    }
                    break;
                case "packet":
                    var from = reader.Consumed;
                    reader.Skip();
                    ReadAck(message.Slice((int)from, (int)(reader.Consumed - from)), result);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return result;
    }

    private static void ReadAck(ReadOnlyMemory<byte> raw, ClusterMessage result)
    {
        var reader = new MessagePackReader(raw);
        var attachments = new List<ReadOnlyMemory<byte>>();
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            MsgPackJson.Read(ref reader, json, attachments);
            json.WriteEndArray();
        }
        result.AckJson = buffer.WrittenSpan.ToArray();
        result.AckAttachments = attachments;
    }

    /// <summary>Reads <c>{type, data, nsp}</c> as a local event packet (no ack id); null when it is not an event.</summary>
    private static AdapterPacket? ReadPacket(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            reader.Skip();
            return null;
        }
        var count = reader.ReadMapHeader();
        var nsp = "/";
        byte[]? data = null;
        var attachments = new List<ReadOnlyMemory<byte>>();
        var type = EventPacketType;
        for (var i = 0; i < count; i++)
        {
            switch (MsgPackJson.ReadKey(ref reader))
            {
                case "type" when reader.NextMessagePackType == MessagePackType.Integer:
                    type = reader.ReadInt32();
                    break;
                case "nsp" when reader.NextMessagePackType == MessagePackType.String:
                    nsp = reader.ReadString() ?? "/";
                    break;
                case "data" when reader.NextMessagePackType == MessagePackType.Array:
                    var buffer = new ArrayBufferWriter<byte>(64);
                    using (var json = new Utf8JsonWriter(buffer))
                    {
                        MsgPackJson.Read(ref reader, json, attachments);
                    }
                    data = buffer.WrittenSpan.ToArray();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        // EVENT (2) or BINARY_EVENT (5): binary travels inline either way.
        if (data is null || type is not (2 or 5)) return null;
        using (var document = JsonDocument.Parse(data))
        {
            var root = document.RootElement;
            if (root.GetArrayLength() == 0 || root[0].ValueKind != JsonValueKind.String) return null;
        }
        return new AdapterPacket(nsp, data, attachments);
    }

    /// <summary>Reads <c>{rooms, except, flags}</c>.</summary>
    private static BroadcastOptions ReadOptions(ref MessagePackReader reader)
    {
        var options = BroadcastOptions.Everyone;
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            reader.Skip();
            return options;
        }
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            switch (MsgPackJson.ReadKey(ref reader))
            {
                case "rooms":
                    options = options with { Rooms = ReadRooms(ref reader) };
                    break;
                case "except":
                    options = options with { Except = ReadRooms(ref reader) };
                    break;
                case "flags" when reader.NextMessagePackType == MessagePackType.Map:
                    var flags = reader.ReadMapHeader();
                    for (var f = 0; f < flags; f++)
                    {
                        var name = MsgPackJson.ReadKey(ref reader);
                        switch (name)
                        {
                            case "volatile" when reader.NextMessagePackType == MessagePackType.Boolean:
                                options = options with { Volatile = reader.ReadBoolean() };
                                break;
                            case "compress" when reader.NextMessagePackType == MessagePackType.Boolean:
                                options = options with { Compress = reader.ReadBoolean() };
                                break;
                            case "timeout" when reader.NextMessagePackType is MessagePackType.Integer or MessagePackType.Float:
                                var milliseconds = reader.ReadDouble();
                                if (milliseconds >= 0 && milliseconds < int.MaxValue) options = options with { Timeout = TimeSpan.FromMilliseconds(milliseconds) };
                                break;
                            default:
                                reader.Skip();
                                break;
                        }
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return options;
    }

    private static ImmutableHashSet<string> ReadRooms(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            reader.Skip();
            return [];
        }
        var count = reader.ReadArrayHeader();
        var rooms = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++) rooms.Add(MsgPackJson.ReadKey(ref reader));
        return rooms.ToImmutable();
    }

    private static BroadcastOptions JsonOptions(JsonElement opts)
    {
        var options = BroadcastOptions.Everyone;
        if (opts.TryGetProperty("rooms", out var rooms) && rooms.ValueKind == JsonValueKind.Array)
            options = options with { Rooms = [.. rooms.EnumerateArray().Select(AsString).OfType<string>()] };
        if (opts.TryGetProperty("except", out var except) && except.ValueKind == JsonValueKind.Array)
            options = options with { Except = [.. except.EnumerateArray().Select(AsString).OfType<string>()] };
        return options;
    }

    /// <summary>A string, or a number in JavaScript's text form (rooms may be numbers).</summary>
    private static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var integer) ? integer.ToString(System.Globalization.CultureInfo.InvariantCulture) : MsgPackJson.FormatNumber(value.GetDouble()),
        _ => null,
    };

    private static string? SkipAndNull(ref MessagePackReader reader)
    {
        reader.Skip();
        return null;
    }
}
