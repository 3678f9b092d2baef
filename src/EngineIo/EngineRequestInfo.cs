using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace EngineIo;

/// <summary>
/// A snapshot of the HTTP request that opened a session. It is copied because ASP.NET Core recycles the
/// <see cref="HttpContext"/> when the request ends, while the session lives on.
/// </summary>
public sealed class EngineRequestInfo
{
    internal EngineRequestInfo(HttpContext context, DateTimeOffset time)
    {
        var request = context.Request;
        var headers = new HeaderDictionary();
        foreach (var header in request.Headers) headers[header.Key] = header.Value;
        Headers = headers;
        Query = new QueryCollection(request.Query.ToDictionary(pair => pair.Key, pair => pair.Value));
        RemoteIpAddress = context.Connection.RemoteIpAddress;
        RemotePort = context.Connection.RemotePort;
        Url = string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent());
        Host = request.Host.Value ?? string.Empty;
        IsHttps = request.IsHttps;
        User = context.User;
        Time = time;
    }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query { get; }

    /// <summary>The client's IP address, as seen by the server (behind a proxy, configure forwarded headers).</summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>The client's TCP port.</summary>
    public int RemotePort { get; }

    /// <summary>The path and query string of the request.</summary>
    public string Url { get; }

    /// <summary>The Host header.</summary>
    public string Host { get; }

    /// <summary>Whether the request came over TLS.</summary>
    public bool IsHttps { get; }

    /// <summary>The user established by the ASP.NET Core authentication middleware, if any.</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Time { get; }
}
