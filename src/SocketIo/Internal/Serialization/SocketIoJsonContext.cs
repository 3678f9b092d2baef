using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// Source-generated JSON metadata for the values the library itself reads and writes (JSON documents, binary data)
/// and for the primitives most events carry. It comes last in the resolver chain of the payload serializer: the
/// application's resolvers answer first, and an application without reflection (native AOT, trimmed) can still
/// emit strings, numbers, forwarded arguments and handshakes without declaring them.
/// </summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonDocument))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(ReadOnlyMemory<byte>))]
[JsonSerializable(typeof(Memory<byte>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(SocketIoHandshake))]
[JsonSerializable(typeof(RemoteHandshake))]
internal sealed partial class SocketIoJsonContext : JsonSerializerContext
{
}
