using System.Collections.Immutable;
using System.Text.Json;
using SocketIo.Adapters;

namespace SocketIo.Redis.Internal;

/// <summary>
/// A decoded request or response of the classic Redis adapter. Only the fields its <see cref="Type"/> uses are set;
/// requests of the emitter and of older adapters lack <see cref="Uid"/> (and sometimes <see cref="Type"/>).
/// </summary>
internal sealed class ClusterMessage
{
    public RequestType? Type { get; set; }

    public string? Uid { get; set; }

    public string? RequestId { get; set; }

    /// <summary>Which sockets a request targets (<c>opts</c>); null when absent (the legacy single-socket forms).</summary>
    public BroadcastOptions? Options { get; set; }

    /// <summary>The rooms to join or leave (<c>rooms</c>), or the rooms of a SOCKETS request.</summary>
    public ImmutableArray<string> Rooms { get; set; } = [];

    /// <summary>The legacy single-socket forms: the socket id and room.</summary>
    public string? SocketId { get; set; }

    public string? Room { get; set; }

    public bool Close { get; set; }

    public int ClientCount { get; set; }

    /// <summary>
    /// JSON data: the <c>[event, ...args]</c> of a server-side emit request, its answer in a response, the
    /// <c>sockets</c> of a fetch response. Owned by <see cref="Document"/>.
    /// </summary>
    public JsonElement Data { get; set; }

    public bool HasData { get; set; }

    /// <summary>The packet of a BROADCAST request (as a local packet without an ack id).</summary>
    public AdapterPacket? Packet { get; set; }

    /// <summary>The answer of a BROADCAST_ACK response: a JSON array of one value, with its attachments.</summary>
    public byte[]? AckJson { get; set; }

    public List<ReadOnlyMemory<byte>>? AckAttachments { get; set; }

    public JsonDocument? Document { get; set; }
}
