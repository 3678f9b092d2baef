using System.Globalization;
using System.Text.Json;

namespace SocketIo.AdminUi.Internal;

/// <summary>The JSON shapes the admin UI reads, built from the public server API.</summary>
internal static class AdminSnapshots
{
    /// <summary>
    /// A socket of a cluster-wide fetch: this node's own in full; another node's from what its node sent (its handshake,
    /// rooms and data; its connection's id and transport are not part of a fetch, so the UI shows none).
    /// </summary>
    public static Dictionary<string, object?> Socket(RemoteSocket socket, string nsp, Func<SocketIoSocket, object> data, Func<object?, object> remoteData)
    {
        if (socket.LocalSocket is { } local) return Socket(local, data);
        var handshake = socket.Handshake;
        return new Dictionary<string, object?>
        {
            ["id"] = socket.Id,
            ["clientId"] = null,
            ["transport"] = null,
            ["nsp"] = nsp,
            ["data"] = remoteData(socket.Data),
            ["handshake"] = Handshake(handshake, handshake.Address),
            ["rooms"] = socket.Rooms.ToArray(),
        };
    }

    /// <summary>A socket as <c>all_sockets</c> and <c>socket_connected</c> describe it.</summary>
    public static Dictionary<string, object?> Socket(SocketIoSocket socket, Func<SocketIoSocket, object> data)
    {
        var handshake = socket.Handshake;
        return new Dictionary<string, object?>
        {
            ["id"] = socket.Id,
            // The UI groups the sockets of one connection by this prefix of the engine session id, as the npm package.
            ["clientId"] = socket.Connection.Id.Length > 12 ? socket.Connection.Id[..12] : socket.Connection.Id,
            ["transport"] = socket.TransportName,
            ["nsp"] = socket.Namespace.Name,
            ["data"] = data(socket),
            ["handshake"] = Handshake(RemoteHandshake.From(handshake), Address(handshake)),
            ["rooms"] = socket.Rooms.ToArray(),
        };
    }

    /// <summary>
    /// A socket's data as JSON, or an empty object (as the npm package shows a socket without data, and here also one
    /// whose data cannot be serialized). Serialized here, not at emit time, so that a bad value costs only itself.
    /// </summary>
    public static JsonElement Data(object? value, JsonSerializerOptions options, out Exception? error)
    {
        error = null;
        if (value is null) return EmptyObject;
        try
        {
            return JsonSerializer.SerializeToElement(value, value.GetType(), options);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            error = ex;
            return EmptyObject;
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The client's address, preferring what a proxy in front says (the npm package reads the same two headers).</summary>
    private static string? Address(SocketIoHandshake handshake)
    {
        var headers = handshake.Headers;
        if (headers.TryGetValue("cf-connecting-ip", out var cf) && cf.Count > 0) return cf.ToString();
        if (headers.TryGetValue("x-forwarded-for", out var forwarded) && forwarded.Count > 0) return forwarded.ToString();
        return handshake.Address?.ToString();
    }

    /// <summary>
    /// A handshake as the UI reads it: the library's own view of it (the reference's headers, query and date forms),
    /// without the CONNECT payload, with the address a proxy reports.
    /// </summary>
    private static Dictionary<string, object?> Handshake(RemoteHandshake handshake, string? address) => new()
    {
        ["address"] = address,
        ["headers"] = handshake.Headers,
        ["query"] = handshake.Query,
        ["issued"] = handshake.Issued,
        ["secure"] = handshake.Secure,
        ["time"] = handshake.Time,
        ["url"] = handshake.Url,
        ["xdomain"] = handshake.XDomain,
    };

    /// <summary>An instant as ISO 8601 with milliseconds in UTC, as JavaScript's <c>Date</c> serializes to JSON.</summary>
    public static string IsoTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
