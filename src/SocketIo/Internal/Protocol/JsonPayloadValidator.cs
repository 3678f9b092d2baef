using System.Text.Json;

namespace SocketIo.Internal.Protocol;

/// <summary>
/// Checks the JSON payload of a decoded packet: that it is well-formed JSON within the depth limit,
/// and that its shape suits the packet type, with the rules of the reference parser's
/// <c>isPacketValid</c>. The payload is walked once with <see cref="Utf8JsonReader"/>; nothing is
/// materialised.
/// </summary>
internal static class JsonPayloadValidator
{
    /// <summary>
    /// Returns whether <paramref name="json"/> is an acceptable payload for <paramref name="type"/>.
    /// An empty span means "no payload".
    /// </summary>
    public static bool IsValid(PacketType type, ReadOnlySpan<byte> json, int maxDepth)
    {
        if (json.IsEmpty)
        {
            // Only CONNECT (no auth data) and DISCONNECT may omit the payload. The reference decoder
            // also lets EVENT, ACK and CONNECT_ERROR through without one, but its isPacketValid does
            // not, and a server has nothing to dispatch for a data-less event or ack.
            return type is PacketType.Connect or PacketType.Disconnect;
        }

        if (type == PacketType.Disconnect)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            if (!reader.Read() || !HasExpectedShape(type, ref reader))
            {
                return false;
            }

            // The shape was decided from the first token(s); the rest still has to be well-formed JSON
            // (the reader throws on bad syntax, on nesting beyond maxDepth and on trailing content).
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasExpectedShape(PacketType type, ref Utf8JsonReader reader)
    {
        switch (type)
        {
            case PacketType.Connect:
                return reader.TokenType == JsonTokenType.StartObject;

            case PacketType.ConnectError:
                return reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;

            case PacketType.Event:
            case PacketType.BinaryEvent:
                // A non-empty array whose first element names the event. Numbers are accepted
                // because the reference accepts them (and JavaScript clients can emit them).
                if (reader.TokenType != JsonTokenType.StartArray || !reader.Read())
                {
                    return false;
                }

                return reader.TokenType == JsonTokenType.Number
                    || (reader.TokenType == JsonTokenType.String && !IsReservedEventName(ref reader));

            case PacketType.Ack:
            case PacketType.BinaryAck:
                return reader.TokenType == JsonTokenType.StartArray;

            default:
                return false;
        }
    }

    /// <summary>
    /// The names the reference parser refuses as event names because they have a meaning of their
    /// own on one side or the other. "error" is deliberately not among them, as in the reference.
    /// </summary>
    private static bool IsReservedEventName(ref Utf8JsonReader reader) =>
        // ValueTextEquals compares the unescaped text, so "\u0063onnect" is caught as "connect",
        // just as JSON.parse would see it.
        reader.ValueTextEquals("connect"u8)
        || reader.ValueTextEquals("connect_error"u8)
        || reader.ValueTextEquals("disconnect"u8)
        || reader.ValueTextEquals("disconnecting"u8)
        || reader.ValueTextEquals("newListener"u8)
        || reader.ValueTextEquals("removeListener"u8);
}
