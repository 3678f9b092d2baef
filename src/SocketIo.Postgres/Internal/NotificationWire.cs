using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SocketIo.Adapters.Cluster;

namespace SocketIo.Postgres.Internal;

/// <summary>
/// What the npm package puts in a notification: the message's JSON (<c>{type, data, uid, nsp}</c>), or, for a
/// message that has binary values or whose JSON is larger than the threshold, a header <c>{uid, type, attachmentId}</c>
/// naming the row of the attachments table that holds the message as msgpack.
/// </summary>
internal static class NotificationWire
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Whether <paramref name="message"/> goes through the table. The npm package checks for binary values only in
    /// broadcasts, their acknowledgements and server-side emits (any other message with binary values would reach the
    /// others as JSON of a Buffer); here every message with binary values goes through the table, which every node reads.
    /// </summary>
    public static bool NeedsAttachment(ClusterMessage message, int jsonLength, int threshold) => message.HasBinary || jsonLength > threshold;

    /// <summary>The header of a message stored as row <paramref name="attachmentId"/>, byte for byte as the npm package writes it (the id as a string, as pg returns a bigint).</summary>
    public static string Header(string uid, ClusterMessageType type, long attachmentId)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("uid", uid);
            writer.WriteNumber("type", (int)type);
            writer.WriteString("attachmentId", attachmentId.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads a notification's payload: the message itself, or the uid of its sender and the row that holds it. False
    /// for anything else.
    /// </summary>
    public static bool TryRead(string payload, out ClusterMessage? message, out string? uid, out long attachmentId)
    {
        message = null;
        uid = null;
        attachmentId = 0;
        if (payload.Length == 0 || payload[0] != '{') return false;
        var bytes = Encoding.UTF8.GetBytes(payload);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (root.TryGetProperty("attachmentId", out var id))
            {
                uid = root.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                // A string from the npm package (pg returns bigints as strings); a number is taken too.
                return id.ValueKind switch
                {
                    JsonValueKind.String => long.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out attachmentId),
                    JsonValueKind.Number => id.TryGetInt64(out attachmentId),
                    _ => false,
                };
            }
        }
        catch (JsonException)
        {
            return false;
        }
        message = ClusterMessage.TryDecode(bytes);
        uid = message?.Uid;
        return message is not null;
    }
}
