using System.Buffers;
using System.Text.Json;
using MessagePack;
using SocketIo.Adapters;

namespace SocketIo.Redis.Internal.Streams;

/// <summary>
/// A session as @socket.io/redis-streams-adapter 0.3.1 stores it: the base64 of the msgpack map
/// <c>{ sid, pid, rooms, data }</c>, so that a Node node restores what a .NET node stored, and the other way round.
/// </summary>
internal static class SessionCodec
{
    /// <summary>Encodes a session; <paramref name="dataJson"/> is its data as JSON (binaries as placeholders into <paramref name="attachments"/>).</summary>
    public static string Encode(string socketId, string privateId, IEnumerable<string> rooms, ReadOnlyMemory<byte> dataJson, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + dataJson.Length);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("sid");
        writer.Write(socketId);
        writer.Write("pid");
        writer.Write(privateId);
        writer.Write("rooms");
        var list = rooms as IReadOnlyCollection<string> ?? rooms.ToList();
        writer.WriteArrayHeader(list.Count);
        foreach (var room in list) writer.Write(room);
        writer.Write("data");
        if (dataJson.IsEmpty)
        {
            writer.WriteNil();
        }
        else
        {
            using var document = JsonDocument.Parse(dataJson);
            MsgPackJson.Write(ref writer, document.RootElement, attachments);
        }
        writer.Flush();
        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    /// <summary>Reads a stored session; null when the value is not one (never throws for bad input).</summary>
    public static PersistedSession? TryDecode(string value, DateTimeOffset now)
    {
        try
        {
            var reader = new MessagePackReader(Convert.FromBase64String(value));
            string? sid = null, pid = null;
            List<string> rooms = [];
            object? data = null;
            var count = reader.ReadMapHeader();
            for (var i = 0; i < count; i++)
            {
                switch (MsgPackJson.ReadKey(ref reader))
                {
                    case "sid": sid = reader.ReadString(); break;
                    case "pid": pid = reader.ReadString(); break;
                    case "rooms":
                        var length = reader.ReadArrayHeader();
                        for (var j = 0; j < length; j++) rooms.Add(MsgPackJson.ReadKey(ref reader));
                        break;
                    case "data":
                        // Binaries in the data stay placeholders: the data of a session is application state, not a packet.
                        var json = new ArrayBufferWriter<byte>(64);
                        using (var writer = new Utf8JsonWriter(json)) MsgPackJson.Read(ref reader, writer, []);
                        using (var document = JsonDocument.Parse(json.WrittenMemory))
                            data = document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.Clone();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return sid is null || pid is null ? null : new PersistedSession(sid, pid, rooms, data, now);
        }
        catch (Exception exception) when (exception is FormatException or MessagePackSerializationException or InvalidOperationException or EndOfStreamException or JsonException)
        {
            return null;
        }
    }
}
