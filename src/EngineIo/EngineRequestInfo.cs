using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace EngineIo;

/// <summary>
/// A snapshot of the HTTP request that opened a session. It is copied because ASP.NET Core recycles the
/// <see cref="HttpContext"/> when the request ends, while the session lives on.
/// </summary>
/// <remarks>
/// Every session keeps one for its whole life, and most applications never read it, so the copy is kept small: the
/// header values and the raw query are referenced, not re-parsed, and the dictionaries are built on first use.
/// </remarks>
public sealed class EngineRequestInfo
{
    private readonly KeyValuePair<string, StringValues>[] _headers;
    private readonly PathString _pathBase;
    private readonly PathString _path;
    private readonly QueryString _queryString;
    private ClaimsPrincipal? _user;
    private IHeaderDictionary? _headerDictionary;
    private IQueryCollection? _query;
    private string? _url;

    internal EngineRequestInfo(HttpContext context, DateTimeOffset time)
    {
        var request = context.Request;
        var headers = request.Headers;
        _headers = new KeyValuePair<string, StringValues>[headers.Count];
        var count = 0;
        foreach (var header in headers)
        {
            if (count == _headers.Length) Array.Resize(ref _headers, count + 4);
            // Kestrel's strings are this request's: the pool's shared ones are kept instead (HandshakeStrings).
            var name = Internal.HandshakeStrings.Share(header.Key);
            _headers[count++] = new(name, header.Value.Count == 1 && Internal.HandshakeStrings.IsShareable(name)
                ? new StringValues(Internal.HandshakeStrings.Share(header.Value.ToString()))
                : header.Value);
        }
        if (count < _headers.Length) Array.Resize(ref _headers, count);

        _pathBase = request.PathBase;
        _path = request.Path.HasValue ? new PathString(Internal.HandshakeStrings.Share(request.Path.Value!)) : request.Path;
        _queryString = request.QueryString.HasValue ? new QueryString(Internal.HandshakeStrings.Share(request.QueryString.Value!)) : request.QueryString;
        // Reading HttpContext.User would make an empty principal for every request that has none.
        _user = context.Features.Get<IHttpAuthenticationFeature>()?.User;
        RemoteIpAddress = context.Connection.RemoteIpAddress;
        RemotePort = context.Connection.RemotePort;
        Host = request.Host.Value ?? string.Empty;
        IsHttps = request.IsHttps;
        Time = time;
    }

    /// <summary>A handshake read off the connection itself (see <c>UseEngineIoDirectWebSockets</c>): no HTTP context, no user.</summary>
    internal EngineRequestInfo(Internal.Direct.UpgradeRequestHead head, ConnectionContext connection, DateTimeOffset time)
    {
        _headers = head.Headers;
        _pathBase = PathString.Empty;
        _path = new PathString(head.Path);
        _queryString = head.QueryString.Length == 0 ? QueryString.Empty : new QueryString(head.QueryString);
        var remote = connection.RemoteEndPoint as IPEndPoint;
        RemoteIpAddress = remote?.Address;
        RemotePort = remote?.Port ?? 0;
        Host = head.Host;
        IsHttps = connection.Features.Get<ITlsConnectionFeature>() is not null;
        Time = time;
    }

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers => _headerDictionary ?? Publish(ref _headerDictionary, BuildHeaders());

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query => _query ?? Publish(ref _query, BuildQuery());

    /// <summary>The client's IP address, as seen by the server (behind a proxy, configure forwarded headers).</summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>The client's TCP port.</summary>
    public int RemotePort { get; }

    /// <summary>The path and query string of the request.</summary>
    public string Url => _url ?? Publish(ref _url, string.Concat(_pathBase.ToUriComponent(), _path.ToUriComponent(), _queryString.ToUriComponent()));

    /// <summary>The Host header.</summary>
    public string Host { get; }

    /// <summary>Whether the request came over TLS.</summary>
    public bool IsHttps { get; }

    /// <summary>The user established by the ASP.NET Core authentication middleware, if any (an anonymous principal otherwise).</summary>
    public ClaimsPrincipal User => _user ?? Publish(ref _user, new ClaimsPrincipal(new ClaimsIdentity()));

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Whether the request carried the header, without building the header dictionary.</summary>
    internal bool HasHeader(string name)
    {
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private HeaderDictionary BuildHeaders()
    {
        var headers = new HeaderDictionary(_headers.Length);
        foreach (var header in _headers) headers[header.Key] = header.Value;
        return headers;
    }

    private QueryCollection BuildQuery() =>
        QueryHelpers.ParseNullableQuery(_queryString.Value) is { } values ? new QueryCollection(values) : QueryCollection.Empty;

    // Two threads may build the same value at once: the first to finish wins, and both callers see that one.
    private static T Publish<T>(ref T? field, T value) where T : class =>
        Interlocked.CompareExchange(ref field, value, null) ?? value;
}
