using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using EngineIo;
using Microsoft.AspNetCore.Http;
using SocketIo.Internal.Serialization;

namespace SocketIo;

/// <summary>
/// What a socket's client sent when it connected: the HTTP request that opened the connection and the CONNECT payload.
/// Emitted or serialized, it takes the reference's shape: <c>{ headers, time, address, xdomain, secure, issued, url,
/// query, auth }</c> (see <see cref="RemoteHandshake"/>).
/// </summary>
[JsonConverter(typeof(SocketIoHandshakeJsonConverter))]
public sealed class SocketIoHandshake
{
    // The request's snapshot is shared by every socket of the connection; its dictionaries are built on first use.
    private readonly EngineRequestInfo _request;

    internal SocketIoHandshake(EngineRequestInfo request, JsonElement auth)
    {
        _request = request;
        Auth = auth;
    }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers => _request.Headers;

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query => _request.Query;

    /// <summary>The client's IP address.</summary>
    public IPAddress? Address => _request.RemoteIpAddress;

    /// <summary>When the connection was opened.</summary>
    public DateTimeOffset Time => _request.Time;

    /// <summary>When the connection was opened, in milliseconds since the Unix epoch (the reference's <c>issued</c>).</summary>
    public long Issued => Time.ToUnixTimeMilliseconds();

    /// <summary>The path and query of the request.</summary>
    public string Url => _request.Url;

    /// <summary>Whether the request came over TLS.</summary>
    public bool IsSecure => _request.IsHttps;

    /// <summary>Whether the request came from another origin (it carried an Origin header).</summary>
    public bool IsCrossDomain => _request.HasHeader("Origin");

    /// <summary>The user the ASP.NET Core authentication middleware established, if any.</summary>
    public ClaimsPrincipal User => _request.User;

    /// <summary>The CONNECT payload (<c>auth</c> in the client's options), an empty object when none was sent.</summary>
    public JsonElement Auth { get; }
}
