using System.Security.Claims;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary><c>/api/listings</c>: providers create listings; their provider or an admin changes them and their stock.</summary>
internal static class ListingEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/api/listings");

        group.MapPost("/", async (HttpRequest request, ClaimsPrincipal principal, ListingService listings) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, CreateListingRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var listing = await listings.CreateAsync(BearerAuthenticationHandler.UserOf(principal), body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return Results.Created($"/api/listings/{listing.Id}", listing);
        }).RequireAuthorization(AuthPolicies.Provider);

        group.MapGet("/", async (string? providerId, ListingService listings, CancellationToken cancellationToken) =>
            Results.Ok(await listings.ListAsync(providerId, cancellationToken).ConfigureAwait(false)))
            .RequireAuthorization(AuthPolicies.AnyUser);

        group.MapGet("/{id}", async (string id, ListingService listings, CancellationToken cancellationToken) =>
            ApiResults.Ok(await listings.GetAsync(id, cancellationToken).ConfigureAwait(false)))
            .RequireAuthorization(AuthPolicies.AnyUser);

        group.MapPatch("/{id}", async (string id, HttpRequest request, ClaimsPrincipal principal, ListingService listings) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, UpdateListingRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            return ApiResults.Ok(await listings.UpdateAsync(BearerAuthenticationHandler.UserOf(principal), id, body!, request.HttpContext.RequestAborted).ConfigureAwait(false));
        }).RequireAuthorization(AuthPolicies.ProviderOrAdmin);

        group.MapPatch("/{id}/stock", async (string id, HttpRequest request, ClaimsPrincipal principal, ListingService listings) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, UpdateStockRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            return ApiResults.Ok(await listings.UpdateStockAsync(BearerAuthenticationHandler.UserOf(principal), id, body!.Quantity, request.HttpContext.RequestAborted).ConfigureAwait(false));
        }).RequireAuthorization(AuthPolicies.ProviderOrAdmin);
    }
}
