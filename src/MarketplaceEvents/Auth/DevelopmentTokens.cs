using MarketplaceEvents.Domain;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MarketplaceEvents.Auth;

/// <summary>Mints HS256 tokens in the shape the service expects: for the start banner's samples, and for tests.</summary>
internal static class DevelopmentTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Mint(SecurityKey key, string userId, string name, string role, DateTimeOffset expiresAt, string? avatar = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["name"] = name,
            ["role"] = role,
        };
        if (avatar is not null) claims["avatar"] = avatar;
        var algorithm = key is RsaSecurityKey ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.HmacSha256;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>The sample users: one per role.</summary>
    public static readonly IReadOnlyList<(string Id, string Name, string Role)> SampleUsers =
    [
        ("buyer-1", "Sample Buyer", UserRole.User),
        ("provider-1", "Sample Provider", UserRole.Provider),
        ("admin-1", "Sample Admin", UserRole.Admin),
    ];

    /// <summary>One sample token per role, for a developer to paste into a client (and for the page at <c>/</c>).</summary>
    public static IEnumerable<(string Id, string Name, string Role, string Token)> Samples(SecurityKey key, DateTimeOffset expiresAt) =>
        SampleUsers.Select(user => (user.Id, user.Name, user.Role, Mint(key, user.Id, user.Name, user.Role, expiresAt)));
}
