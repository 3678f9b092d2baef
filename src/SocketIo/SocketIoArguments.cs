using System.Collections;
using System.Text.Json;
using SocketIo.Internal.Serialization;

namespace SocketIo;

/// <summary>
/// The arguments of an incoming event or acknowledgement. Read them typed with <see cref="Get{T}(int)"/>: binary
/// attachments are resolved into <c>byte[]</c> or <c>ReadOnlyMemory&lt;byte&gt;</c> members on the way.
/// </summary>
public sealed class SocketIoArguments : IReadOnlyList<JsonElement>
{
    private readonly JsonElement[] _items;
    private readonly PayloadSerializer _serializer;

    internal SocketIoArguments(JsonElement[] items, IReadOnlyList<ReadOnlyMemory<byte>> attachments, PayloadSerializer serializer)
    {
        _items = items;
        Attachments = attachments;
        _serializer = serializer;
    }

    /// <summary>The number of arguments.</summary>
    public int Count => _items.Length;

    /// <summary>An argument as raw JSON (binary values appear as attachment placeholders).</summary>
    public JsonElement this[int index] => _items[index];

    /// <summary>The packet's binary attachments, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>Reads the first argument as <typeparamref name="T"/>; a missing argument reads as default.</summary>
    /// <exception cref="JsonException">The argument does not fit <typeparamref name="T"/>.</exception>
    public T? Get<T>() => Get<T>(0);

    /// <summary>Reads argument <paramref name="index"/> as <typeparamref name="T"/>; a missing argument reads as default.</summary>
    /// <exception cref="JsonException">The argument does not fit <typeparamref name="T"/>.</exception>
    public T? Get<T>(int index) => index < _items.Length ? _serializer.Deserialize<T>(_items[index], Attachments) : default;

    /// <summary>Reads argument <paramref name="index"/> as <paramref name="type"/>.</summary>
    public object? Get(int index, Type type) => index < _items.Length ? _serializer.Deserialize(_items[index], type, Attachments) : null;

    /// <summary>
    /// The arguments as values that can be emitted again as they are (JSON nodes, with binary attachments as
    /// <c>byte[]</c>): the way to forward or echo an event.
    /// </summary>
    public object?[] ToArray()
    {
        var values = new object?[_items.Length];
        for (var i = 0; i < values.Length; i++) values[i] = PayloadSerializer.ToNode(_items[i], Attachments);
        return values;
    }

    /// <inheritdoc />
    public IEnumerator<JsonElement> GetEnumerator() => ((IEnumerable<JsonElement>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static SocketIoArguments Parse(ReadOnlyMemory<byte> jsonArray, int skip, IReadOnlyList<ReadOnlyMemory<byte>> attachments, PayloadSerializer serializer)
    {
        if (jsonArray.IsEmpty) return new SocketIoArguments([], attachments, serializer);
        var reader = new Utf8JsonReader(jsonArray.Span);
        // ParseValue copies what it needs: the arguments may outlive the buffer they came from (an adapter's message).
        return FromArray(JsonElement.ParseValue(ref reader), skip, attachments, serializer);
    }

    /// <summary>
    /// The arguments of a packet a parser decoded from a client. Its payload is the packet's own copy (every parser
    /// makes one, and nothing writes to it), so the document reads it in place instead of copying it once more. The
    /// document is not disposed: the arguments may be kept by the application, and its rented row table simply goes
    /// to the garbage collector with it.
    /// </summary>
    internal static SocketIoArguments FromDecodedPacket(ReadOnlyMemory<byte> ownedJsonArray, int skip, IReadOnlyList<ReadOnlyMemory<byte>> attachments, PayloadSerializer serializer) =>
        ownedJsonArray.IsEmpty
            ? new SocketIoArguments([], attachments, serializer)
            : FromArray(JsonDocument.Parse(ownedJsonArray).RootElement, skip, attachments, serializer);

    private static SocketIoArguments FromArray(JsonElement root, int skip, IReadOnlyList<ReadOnlyMemory<byte>> attachments, PayloadSerializer serializer)
    {
        var count = Math.Max(0, root.GetArrayLength() - skip);
        var items = new JsonElement[count];
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }
            items[i++] = item;
        }
        return new SocketIoArguments(items, attachments, serializer);
    }
}
