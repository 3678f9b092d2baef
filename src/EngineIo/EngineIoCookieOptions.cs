using Microsoft.AspNetCore.Http;

namespace EngineIo;

/// <summary>
/// The cookie holding the session id, set on the handshake response (useful for sticky sessions behind a load balancer).
/// Not sent unless <see cref="EngineIoOptions.Cookie"/> is set.
/// </summary>
public sealed class EngineIoCookieOptions
{
    /// <summary>The cookie name. Default: <c>io</c>.</summary>
    public string Name { get; set; } = "io";

    /// <summary>The cookie path. Default: <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>Whether scripts are denied access to the cookie. Default: true.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>The SameSite attribute. Default: <see cref="SameSiteMode.Lax"/>.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>Whether the cookie is sent only over HTTPS. Default: false.</summary>
    public bool Secure { get; set; }

    /// <summary>The cookie domain. Default: none (the request host).</summary>
    public string? Domain { get; set; }

    /// <summary>The cookie lifetime. Default: none (a session cookie).</summary>
    public TimeSpan? MaxAge { get; set; }
}
