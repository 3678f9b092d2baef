namespace EngineIo;

/// <summary>
/// Cross-origin settings for the HTTP long-polling transport (browsers apply CORS to XHR/fetch, not to WebSocket).
/// Off unless <see cref="EngineIoOptions.Cors"/> is set.
/// </summary>
public sealed class EngineIoCorsOptions
{
    /// <summary>
    /// Origins allowed to call the server, such as <c>https://shop.example</c>. <c>"*"</c> allows any origin; with
    /// <see cref="AllowCredentials"/> the request's origin is echoed back, since browsers refuse <c>*</c> with credentials.
    /// Default: empty (no origin allowed).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>An optional predicate deciding for origins not listed in <see cref="AllowedOrigins"/>.</summary>
    public Func<string, bool>? IsOriginAllowed { get; set; }

    /// <summary>Whether cookies and credentials may be sent (<c>Access-Control-Allow-Credentials: true</c>). Default: false.</summary>
    public bool AllowCredentials { get; set; }

    /// <summary>Request headers allowed in cross-origin requests. Default: empty, which allows whatever the preflight asks for.</summary>
    public IList<string> AllowedHeaders { get; } = new List<string>();

    /// <summary>Response headers exposed to the calling script. Default: none.</summary>
    public IList<string> ExposedHeaders { get; } = new List<string>();

    /// <summary>How long a browser may cache a preflight answer. Default: not sent.</summary>
    public TimeSpan? PreflightMaxAge { get; set; }
}
