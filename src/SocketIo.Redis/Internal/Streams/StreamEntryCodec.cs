using System.Buffers;
using System.Text.Json;
using MessagePack;
using SocketIo.Adapters.Cluster;
using StackExchange.Redis;

namespace SocketIo.Redis.Internal.Streams;

using ClusterMessage = SocketIo.Adapters.Cluster.ClusterMessage;

/// <summary>
/// A cluster message as a stream entry of @socket.io/redis-streams-adapter 0.3.1: the fields <c>uid</c>, <c>nsp</c>,
/// <c>type</c> (the number as a string) and, when the message has data, <c>data</c>: the JSON text, or, when the data
/// of a message that may carry binaries does, the base64 of its msgpack (binaries inline).
/// </summary>
internal static class StreamEntryCodec
{
    public static NameValueEntry[] Encode(ClusterMessage message)
    {
        var type = ((int)message.Type).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (message.DataJson.IsEmpty) return [new("uid", message.Uid), new("nsp", message.Namespace), new("type", type)];
        RedisValue data = message.HasBinary && MayContainBinary(message.Type)
            ? Convert.ToBase64String(MsgPackData(message))
            : message.DataJson.ToArray();
        return [new("uid", message.Uid), new("nsp", message.Namespace), new("type", type), new("data", data)];
    }

    // The types whose data the reference checks for binaries (the others are always JSON).
    private static bool MayContainBinary(ClusterMessageType type) => type is ClusterMessageType.Broadcast
        or ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmit
        or ClusterMessageType.ServerSideEmitResponse or ClusterMessageType.BroadcastAck;

    private static byte[] MsgPackData(ClusterMessage message)
    {
        using var document = JsonDocument.Parse(message.DataJson);
        var buffer = new ArrayBufferWriter<byte>(message.DataJson.Length + 16);
        var writer = new MessagePackWriter(buffer);
        MsgPackJson.Write(ref writer, document.RootElement, message.Attachments);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an entry; null when it is not a cluster message (never throws for bad input).</summary>
    public static ClusterMessage? TryDecode(NameValueEntry[] fields)
    {
        string? uid = null, nsp = null, type = null;
        RedisValue data = RedisValue.Null;
        foreach (var field in fields)
        {
            switch ((string?)field.Name)
            {
                case "uid": uid = field.Value; break;
                case "nsp": nsp = field.Value; break;
                case "type": type = field.Value; break;
                case "data": data = field.Value; break;
            }
        }
        if (nsp is null || !int.TryParse(type, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var typeNumber)) return null;
        if (data.IsNullOrEmpty) return ClusterMessage.Create((ClusterMessageType)typeNumber, uid ?? "", nsp, ReadOnlyMemory<byte>.Empty);
        var raw = (byte[])data!;
        if (raw[0] == (byte)'{') return ClusterMessage.Create((ClusterMessageType)typeNumber, uid ?? "", nsp, raw);
        try
        {
            var packed = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(raw));
            var attachments = new List<ReadOnlyMemory<byte>>();
            var json = new ArrayBufferWriter<byte>(packed.Length * 2);
            using (var writer = new Utf8JsonWriter(json))
            {
                var reader = new MessagePackReader(packed);
                MsgPackJson.Read(ref reader, writer, attachments);
                if (!reader.End) return null;
            }
            return ClusterMessage.Create((ClusterMessageType)typeNumber, uid ?? "", nsp, json.WrittenMemory.ToArray(), attachments);
        }
        catch (Exception exception) when (exception is FormatException or MessagePackSerializationException or InvalidOperationException or EndOfStreamException)
        {
            return null;
        }
    }
}
