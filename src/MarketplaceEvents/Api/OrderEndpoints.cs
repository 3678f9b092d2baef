using System.Security.Claims;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary><c>/api/orders</c>: buyers order; the provider or an admin moves the status; payments and shipping updates.</summary>
internal static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/api/orders");

        group.MapPost("/", async (HttpRequest request, ClaimsPrincipal principal, OrderService orders) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, CreateOrderRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var result = await orders.CreateAsync(BearerAuthenticationHandler.UserOf(principal), body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return ApiResults.Created(result, o => $"/api/orders/{o.Id}");
        }).RequireAuthorization(AuthPolicies.Buyer);

        group.MapGet("/{id}", async (string id, ClaimsPrincipal principal, OrderService orders, CancellationToken cancellationToken) =>
            ApiResults.Ok(await orders.GetAsync(BearerAuthenticationHandler.UserOf(principal), id, cancellationToken).ConfigureAwait(false)))
            .RequireAuthorization(AuthPolicies.AnyUser);

        group.MapPatch("/{id}/status", async (string id, HttpRequest request, ClaimsPrincipal principal, OrderService orders) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, UpdateOrderStatusRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            return ApiResults.Ok(await orders.UpdateStatusAsync(BearerAuthenticationHandler.UserOf(principal), id, body!, request.HttpContext.RequestAborted).ConfigureAwait(false));
        }).RequireAuthorization(AuthPolicies.ProviderOrAdmin);

        group.MapPost("/{id}/payment", async (string id, HttpRequest request, ClaimsPrincipal principal, OrderService orders) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, PaymentRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var result = await orders.AddPaymentAsync(BearerAuthenticationHandler.UserOf(principal), id, body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return ApiResults.Created(result, _ => null);
        }).RequireAuthorization(AuthPolicies.AnyUser);

        group.MapPost("/{id}/shipping", async (string id, HttpRequest request, ClaimsPrincipal principal, OrderService orders) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, ShippingRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var result = await orders.AddShipmentAsync(BearerAuthenticationHandler.UserOf(principal), id, body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return ApiResults.Created(result, _ => null);
        }).RequireAuthorization(AuthPolicies.ProviderOrAdmin);
    }
}
