using MarketplaceEvents.Configuration;
using MarketplaceEvents.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MarketplaceEvents.Auth;

/// <summary>
/// Checks a JWT: signature (HS256/RS256 with the configured keys), expiry, optional issuer and audience, and the
/// claims the service needs (<c>sub</c>, <c>role</c> among user/provider/admin, optional <c>name</c> and <c>avatar</c>).
/// </summary>
internal sealed class TokenValidator
{
    public const string BearerPrefix = "Bearer ";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _time;

    public TokenValidator(SigningKeys keys, IOptions<AuthOptions> options, TimeProvider time)
    {
        var auth = options.Value;
        _clockSkew = auth.ClockSkew;
        _time = time;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys.Keys,
            ValidAlgorithms = keys.Algorithms,
            ValidateIssuerSigningKey = true,
            ValidateIssuer = auth.Issuer is not null,
            ValidIssuer = auth.Issuer,
            ValidateAudience = auth.Audience is not null,
            ValidAudience = auth.Audience,
            // Expiry is checked below against the service's TimeProvider, the clock that also ends sessions.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        };
    }

    /// <summary>Checks a token, with or without its <c>Bearer </c> prefix.</summary>
    public async Task<TokenCheck> ValidateAsync(string? token)
    {
        token = StripBearer(token);
        if (string.IsNullOrEmpty(token)) return TokenCheck.Invalid("Authentication token missing");

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Thrown for input that is not a JWT at all (e.g. too large).
            return TokenCheck.Invalid("Malformed authentication token");
        }
        if (!result.IsValid) return TokenCheck.Invalid(Describe(result.Exception));

        var jwt = (JsonWebToken)result.SecurityToken;
        if (ClaimTypeProblem(jwt) is { } problem) return TokenCheck.Invalid(problem);
        var now = _time.GetUtcNow();
        if (jwt.ValidTo == DateTime.MinValue) return TokenCheck.Invalid("Authentication token has no expiry");
        var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expiresAt + _clockSkew <= now) return TokenCheck.Invalid("Authentication token expired");
        if (jwt.ValidFrom != DateTime.MinValue && new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero) - _clockSkew > now)
        {
            return TokenCheck.Invalid("Authentication token not yet valid");
        }

        if (!jwt.TryGetPayloadValue<string>("sub", out var subject) || string.IsNullOrWhiteSpace(subject) || subject.Length > 128)
        {
            return TokenCheck.Invalid("Authentication token has no valid 'sub' claim");
        }
        var role = jwt.TryGetPayloadValue<string>("role", out var roleClaim) ? roleClaim : null;
        if (role is null || !UserRole.All.Contains(role))
        {
            return TokenCheck.Invalid("Authentication token has no valid 'role' claim (user, provider or admin)");
        }
        var name = jwt.TryGetPayloadValue<string>("name", out var nameClaim) && !string.IsNullOrWhiteSpace(nameClaim) ? nameClaim : subject;
        var avatar = jwt.TryGetPayloadValue<string>("avatar", out var avatarClaim) && !string.IsNullOrWhiteSpace(avatarClaim) ? avatarClaim : null;
        return TokenCheck.Valid(new UserIdentity(subject, name, role, avatar, expiresAt));
    }

    /// <summary>
    /// RFC 7519 types, which the token library does not hold claims to: <c>exp</c> and <c>nbf</c> are NumericDates
    /// (JSON numbers; the library would also read a numeric string), and <c>sub</c> is a string (it would also take
    /// a number's text). Null when they are right.
    /// </summary>
    private static string? ClaimTypeProblem(JsonWebToken jwt)
    {
        using var payload = System.Text.Json.JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var root = payload.RootElement;
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object) return "Malformed authentication token";
        foreach (var date in (string[])["exp", "nbf"])
        {
            if (root.TryGetProperty(date, out var value) && value.ValueKind != System.Text.Json.JsonValueKind.Number)
                return $"Authentication token has a '{date}' claim that is not a NumericDate";
        }
        if (root.TryGetProperty("sub", out var subject) && subject.ValueKind != System.Text.Json.JsonValueKind.String)
            return "Authentication token has no valid 'sub' claim";
        return null;
    }

    /// <summary>The token without a leading <c>Bearer </c> (any case), trimmed; null for null.</summary>
    public static string? StripBearer(string? token)
    {
        if (token is null) return null;
        token = token.Trim();
        if (token.Equals(BearerPrefix.TrimEnd(), StringComparison.OrdinalIgnoreCase)) return "";
        return token.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? token[BearerPrefix.Length..].Trim() : token;
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "Authentication token signature is invalid",
        SecurityTokenInvalidAlgorithmException => "Authentication token algorithm is not accepted",
        SecurityTokenInvalidIssuerException => "Authentication token issuer is not accepted",
        SecurityTokenInvalidAudienceException => "Authentication token audience is not accepted",
        // The reader reports undecodable parts (bad base64url, not JSON) as ArgumentException.
        SecurityTokenMalformedException or ArgumentException => "Malformed authentication token",
        _ => "Authentication token is invalid",
    };
}
