using System.Security.Claims;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary><c>GET /api/presence</c>: the current presence of everyone who shares a conversation with the caller.</summary>
internal static class PresenceEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/api/presence", async (ClaimsPrincipal principal, PresenceService presence, CancellationToken cancellationToken) =>
            Results.Ok(await presence.ContactsAsync(BearerAuthenticationHandler.UserOf(principal), cancellationToken).ConfigureAwait(false)))
            .RequireAuthorization(AuthPolicies.AnyUser);
}
