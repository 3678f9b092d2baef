using System.Security.Claims;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary><c>/api/notifications</c>: admins send; every user reads what they missed with <c>?since=</c>.</summary>
internal static class NotificationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/api/notifications");

        group.MapPost("/", async (HttpRequest request, NotificationService notifications) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, CreateNotificationRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var notification = await notifications.CreateAsync(body!, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return Results.Created((string?)null, notification);
        }).RequireAuthorization(AuthPolicies.Admin);

        group.MapGet("/", async (string? since, ClaimsPrincipal principal, NotificationService notifications, CancellationToken cancellationToken) =>
        {
            DateTimeOffset? after = null;
            if (!string.IsNullOrEmpty(since))
            {
                if (!Timestamps.TryParse(since, out var parsed)) return ApiResults.InvalidBody(["since must be an ISO-8601 timestamp"]);
                after = parsed;
            }
            return Results.Ok(await notifications.GetSinceAsync(BearerAuthenticationHandler.UserOf(principal), after, cancellationToken).ConfigureAwait(false));
        }).RequireAuthorization(AuthPolicies.AnyUser);
    }
}
