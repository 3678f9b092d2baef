using System.Security.Claims;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary><c>/api/conversations</c>: create (the caller is added), list, archive, delete.</summary>
internal static class ConversationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/api/conversations").RequireAuthorization(AuthPolicies.AnyUser);

        group.MapPost("/", async (HttpRequest request, ClaimsPrincipal principal, ConversationService conversations) =>
        {
            var (body, problem) = await RequestBody.ReadAsync(request, CreateConversationRequest.Read).ConfigureAwait(false);
            if (problem is not null) return problem;
            var result = await conversations.CreateAsync(BearerAuthenticationHandler.UserOf(principal), body!.ParticipantIds, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return ApiResults.Created(result, c => $"/api/conversations/{c.Id}");
        });

        group.MapGet("/", async (ClaimsPrincipal principal, ConversationService conversations, CancellationToken cancellationToken) =>
            Results.Ok(await conversations.ListAsync(BearerAuthenticationHandler.UserOf(principal), cancellationToken).ConfigureAwait(false)));

        group.MapPost("/{id}/archive", async (string id, ClaimsPrincipal principal, ConversationService conversations, CancellationToken cancellationToken) =>
            ApiResults.Ok(await conversations.CloseAsync(BearerAuthenticationHandler.UserOf(principal), id, ConversationStatus.Archived, cancellationToken).ConfigureAwait(false)));

        group.MapDelete("/{id}", async (string id, ClaimsPrincipal principal, ConversationService conversations, CancellationToken cancellationToken) =>
            ApiResults.Ok(await conversations.CloseAsync(BearerAuthenticationHandler.UserOf(principal), id, ConversationStatus.Deleted, cancellationToken).ConfigureAwait(false)));
    }
}
