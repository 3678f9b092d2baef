using System.Security.Claims;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary><c>/api/pools</c>: providers open buying pools; buyers commit quantities.</summary>
internal static class PoolEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/api/pools");

        group.MapPost("/", async (HttpRequest request, ClaimsPrincipal principal, PoolService pools) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, CreatePoolRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var result = await pools.CreateAsync(BearerAuthenticationHandler.UserOf(principal), body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return ApiResults.Created(result, p => $"/api/pools/{p.Id}");
        }).RequireAuthorization(AuthPolicies.ProviderOrAdmin);

        group.MapGet("/{id}", async (string id, PoolService pools, CancellationToken cancellationToken) =>
            ApiResults.Ok(await pools.GetAsync(id, cancellationToken).ConfigureAwait(false)))
            .RequireAuthorization(AuthPolicies.AnyUser);

        group.MapPost("/{id}/commitments", async (string id, HttpRequest request, ClaimsPrincipal principal, PoolService pools) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, CommitToPoolRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var result = await pools.CommitAsync(BearerAuthenticationHandler.UserOf(principal), id, body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return ApiResults.Created(result, p => $"/api/pools/{p.Id}");
        }).RequireAuthorization(AuthPolicies.Buyer);
    }
}
