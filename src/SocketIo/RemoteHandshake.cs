using System.Text.Json;
using System.Text.Json.Serialization;
using SocketIo.Internal.Serialization;

namespace SocketIo;

/// <summary>
/// The handshake of a socket as another node sees it (the reference's serialized <c>socket.handshake</c>): plain
/// values that travel between nodes. Immutable. Serializes (System.Text.Json) to the reference's shape.
/// </summary>
[JsonConverter(typeof(RemoteHandshakeJsonConverter))]
public sealed record RemoteHandshake
{
    /// <summary>The request headers, lower-case names; several values of one header joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The query string parameters; several values of one parameter joined with <c>","</c>.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>The client's IP address, as text.</summary>
    public string? Address { get; init; }

    /// <summary>
    /// When the connection was opened, as the node that holds it wrote it: JavaScript's <c>Date.toString()</c> form
    /// ("Sun Dec 06 2026 01:37:48 GMT+0000 (Coordinated Universal Time)"); <see cref="Issued"/> is the exact instant.
    /// </summary>
    public string? Time { get; init; }

    /// <summary>When the connection was opened, in milliseconds since the Unix epoch.</summary>
    public long Issued { get; init; }

    /// <summary>The path and query of the request.</summary>
    public string? Url { get; init; }

    /// <summary>Whether the request came over TLS.</summary>
    public bool Secure { get; init; }

    /// <summary>Whether the request came from another origin.</summary>
    public bool XDomain { get; init; }

    /// <summary>The CONNECT payload; an empty object when none was sent.</summary>
    public JsonElement Auth { get; init; }

    /// <summary>The shareable view of a local socket's handshake.</summary>
    public static RemoteHandshake From(SocketIoHandshake handshake)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in handshake.Headers) headers[name.ToLowerInvariant()] = values.ToString();
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in handshake.Query) query[name] = values.ToString();
        return new RemoteHandshake
        {
            Headers = headers,
            Query = query,
            Address = handshake.Address?.ToString(),
            // The reference's form: JavaScript's Date.toString(). The exact instant is Issued.
            Time = HandshakeJson.DateString(handshake.Time),
            Issued = handshake.Issued,
            Url = handshake.Url,
            Secure = handshake.IsSecure,
            XDomain = handshake.IsCrossDomain,
            Auth = handshake.Auth,
        };
    }
}
