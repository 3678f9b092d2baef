using System.Net;
using System.Security.Claims;
using System.Text.Json;
using EngineIo;
using Microsoft.AspNetCore.Http;

namespace SocketIo;

/// <summary>What a socket's client sent when it connected: the HTTP request that opened the connection and the CONNECT payload.</summary>
public sealed class SocketIoHandshake
{
    internal SocketIoHandshake(EngineRequestInfo request, JsonElement auth)
    {
        Headers = request.Headers;
        Query = request.Query;
        Address = request.RemoteIpAddress;
        Time = request.Time;
        Url = request.Url;
        IsSecure = request.IsHttps;
        IsCrossDomain = request.Headers.ContainsKey("Origin");
        User = request.User;
        Auth = auth;
    }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query { get; }

    /// <summary>The client's IP address.</summary>
    public IPAddress? Address { get; }

    /// <summary>When the connection was opened.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>When the connection was opened, in milliseconds since the Unix epoch (the reference's <c>issued</c>).</summary>
    public long Issued => Time.ToUnixTimeMilliseconds();

    /// <summary>The path and query of the request.</summary>
    public string Url { get; }

    /// <summary>Whether the request came over TLS.</summary>
    public bool IsSecure { get; }

    /// <summary>Whether the request came from another origin (it carried an Origin header).</summary>
    public bool IsCrossDomain { get; }

    /// <summary>The user the ASP.NET Core authentication middleware established, if any.</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>The CONNECT payload (<c>auth</c> in the client's options), an empty object when none was sent.</summary>
    public JsonElement Auth { get; }
}
