using System.Buffers;
using System.Text.Json;
using SocketIo.Internal.Protocol.MsgPack;

namespace SocketIo.Adapters.Cluster;

/// <summary>
/// One message between the nodes of a cluster: the object <c>{ type, data, uid, nsp }</c> of socket.io-adapter 2.5's
/// <c>ClusterAdapter</c>. Its data is kept as JSON, binary values as placeholders into <see cref="Attachments"/>;
/// <see cref="Encode"/> writes JSON, or msgpack (binaries inline) when there are binaries, as @socket.io/redis-adapter's
/// sharded adapter does, and <see cref="TryDecode"/> reads either.
/// </summary>
public sealed class ClusterMessage
{
    private const int MaxDepth = 128;

    private ClusterMessage(ClusterMessageType type, string uid, string @namespace, ReadOnlyMemory<byte> data, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        Type = type;
        Uid = uid;
        Namespace = @namespace;
        DataJson = data;
        Attachments = attachments;
    }

    /// <summary>The kind of message.</summary>
    public ClusterMessageType Type { get; }

    /// <summary>The id of the node that sent it (<c>"emitter"</c> from @socket.io/redis-emitter, empty when absent).</summary>
    public string Uid { get; }

    /// <summary>The namespace it is about.</summary>
    public string Namespace { get; }

    /// <summary>The message's <c>data</c> as UTF-8 JSON (binaries as placeholders); empty when it has none.</summary>
    public ReadOnlyMemory<byte> DataJson { get; }

    /// <summary>The binary values the placeholders in <see cref="DataJson"/> refer to.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>The request id of a request or response, else null.</summary>
    public string? RequestId => TryGetData(out var data) && data.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>
    /// For a broadcast without acknowledgements to exactly one room, that room (a sharded or dynamic transport may
    /// publish it on the room's own channel); else null.
    /// </summary>
    public string? SingleBroadcastRoom
    {
        get
        {
            if (Type != ClusterMessageType.Broadcast || !TryGetData(out var data) || data.TryGetProperty("requestId", out _)) return null;
            if (!data.TryGetProperty("opts", out var opts) || !opts.TryGetProperty("rooms", out var rooms) || rooms.ValueKind != JsonValueKind.Array) return null;
            if (rooms.GetArrayLength() != 1) return null;
            var room = rooms[0];
            return room.ValueKind switch
            {
                JsonValueKind.String => room.GetString(),
                JsonValueKind.Number => room.GetRawText(),
                _ => null,
            };
        }
    }

    /// <summary>Whether the message carries binary values (then <see cref="Encode"/> writes msgpack).</summary>
    public bool HasBinary => Attachments.Count > 0;

    /// <summary>Creates a message; <paramref name="dataJson"/> is a JSON object or empty.</summary>
    public static ClusterMessage Create(ClusterMessageType type, string uid, string @namespace, ReadOnlyMemory<byte> dataJson, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null)
    {
        ArgumentNullException.ThrowIfNull(uid);
        ArgumentNullException.ThrowIfNull(@namespace);
        return new ClusterMessage(type, uid, @namespace, dataJson, attachments ?? []);
    }

    /// <summary>Parses <see cref="DataJson"/>.</summary>
    public bool TryGetData(out JsonElement data)
    {
        data = default;
        if (DataJson.IsEmpty) return false;
        try
        {
            var reader = new Utf8JsonReader(DataJson.Span);
            data = JsonElement.ParseValue(ref reader);
            return data.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The bytes of the message as the sharded Redis adapter writes them: JSON in the reference's key order
    /// (<c>type, data, uid, nsp</c>), or msgpack with the binaries inline when there are any.
    /// </summary>
    public byte[] Encode() => HasBinary ? EncodeMsgPack() : EncodeJson();

    /// <summary>The message as JSON (binaries stay placeholders: use only when <see cref="HasBinary"/> is false).</summary>
    public byte[] EncodeJson()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + DataJson.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The message as msgpack, as notepack.io writes the same object (binaries inline as bin).</summary>
    public byte[] EncodeMsgPack()
    {
        var json = EncodeJson();
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        JsonToMsgPack.Write(json, Attachments, new MsgPackWriter(buffer), MaxDepth);
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("type", (int)Type);
        if (!DataJson.IsEmpty)
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(DataJson.Span, skipInputValidation: true);
        }
        writer.WriteString("uid", Uid);
        writer.WriteString("nsp", Namespace);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a message in either encoding (JSON when it starts with <c>{</c>, as the reference decides). Returns
    /// null for bytes that are not a message; never throws for bad input.
    /// </summary>
    public static ClusterMessage? TryDecode(ReadOnlyMemory<byte> raw)
    {
        if (raw.IsEmpty) return null;
        ReadOnlyMemory<byte> json;
        List<ReadOnlyMemory<byte>>? attachments = null;
        if (raw.Span[0] == (byte)'{')
        {
            json = raw;
        }
        else
        {
            var buffer = new ArrayBufferWriter<byte>(raw.Length * 2);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                var reader = new MsgPackReader(raw);
                // notepack.io 3 writes Dates as the msgpack timestamp extension.
                if (!MsgPackToJson.TryConvert(ref reader, writer, ref attachments, MaxDepth, int.MaxValue, out _, timestampsAsDates: true) || !reader.IsAtEnd) return null;
            }
            json = buffer.WrittenMemory;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var type)) return null;
            string uid = root.TryGetProperty("uid", out var uidElement) && uidElement.ValueKind == JsonValueKind.String ? uidElement.GetString()! : "";
            string nsp = root.TryGetProperty("nsp", out var nspElement) && nspElement.ValueKind == JsonValueKind.String ? nspElement.GetString()! : "/";
            ReadOnlyMemory<byte> data = root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind == JsonValueKind.Object
                ? System.Text.Encoding.UTF8.GetBytes(dataElement.GetRawText())
                : ReadOnlyMemory<byte>.Empty;
            return new ClusterMessage((ClusterMessageType)type, uid, nsp, data, attachments is null ? [] : attachments);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
