namespace MarketplaceEvents.Configuration;

/// <summary>The <c>Auth</c> configuration section: how tokens are checked.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The HS256 key as UTF-8 text of at least 32 bytes. When neither this nor <see cref="PublicKeyPath"/> is set, a development key is generated and printed at start.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A PEM file with the RSA public key that checks RS256 tokens.</summary>
    public string? PublicKeyPath { get; set; }

    /// <summary>When set, tokens must carry this <c>iss</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, tokens must carry this <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>How far the token's <c>exp</c> and <c>nbf</c> may be off the server clock. Default: none.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>How long a socket that connected without a token has to send the <c>auth</c> event. Default: 5 s.</summary>
    public TimeSpan AuthEventTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
