using System.Net;
using MarketplaceEvents.Auth;

namespace MarketplaceEvents.Api;

/// <summary>
/// <c>GET /api/dev/tokens</c>: fresh sample tokens (buyer, provider, admin) for the page at <c>/</c>. Mapped only when
/// the service runs with its generated development key (no <c>Auth:SigningKey</c> or <c>Auth:PublicKeyPath</c>), and
/// answered only to callers on this machine: with a configured key the route does not exist, and a development
/// instance reachable from the network hands nobody an admin token.
/// </summary>
internal static class DevelopmentEndpoints
{
    public const string TokensRoute = "/api/dev/tokens";

    /// <summary>How long the tokens hold, as the banner's samples.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(24);

    public static void Map(IEndpointRouteBuilder api, SigningKeys keys)
    {
        if (!keys.IsDevelopmentKey) return;
        api.MapGet(TokensRoute, (HttpContext context, TimeProvider time) => Tokens(context.Connection.RemoteIpAddress, keys, time));
    }

    /// <summary>The sample users with their tokens, or 404 for a caller that is not on this machine.</summary>
    public static IResult Tokens(IPAddress? caller, SigningKeys keys, TimeProvider time)
    {
        if (caller is null || !IPAddress.IsLoopback(caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller)) return Results.NotFound();
        var expiresAt = time.GetUtcNow() + TokenLifetime;
        var users = DevelopmentTokens.Samples(keys.HmacKey!, expiresAt)
            .Select(sample => new SampleUser(sample.Id, sample.Name, sample.Role, sample.Token))
            .ToArray();
        return Results.Ok(new { expiresAt = Domain.Timestamps.ToIso(expiresAt), users });
    }

    private sealed record SampleUser(string Id, string Name, string Role, string Token);
}
