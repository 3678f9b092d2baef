using System.Security.Claims;
using System.Text.Encodings.Web;
using MarketplaceEvents.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Auth;

/// <summary>
/// ASP.NET Core authentication for the REST API: <c>Authorization: Bearer &lt;jwt&gt;</c> checked by
/// <see cref="TokenValidator"/>. The principal carries the id, name and role, so that endpoints use the framework's
/// authorization (401 without a valid token, 403 for a wrong role).
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string AvatarClaim = "avatar";
    public const string ExpiresClaim = "exp";

    /// <summary>The <c>HttpContext.Items</c> key of the reason a token was refused.</summary>
    public const string FailureItem = "marketplace.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith(TokenValidator.BearerPrefix, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();

        var check = await validator.ValidateAsync(header).ConfigureAwait(false);
        if (!check.IsValid) return AuthenticateResult.Fail(check.Failure!);

        var user = check.User!;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role),
            new(ExpiresClaim, user.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (user.Avatar is not null) claims.Add(new Claim(AvatarClaim, user.Avatar));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The status code pages then write the problem details body, with this reason when there is one.
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (result.Failure is { } failure) Context.Items[FailureItem] = failure.Message;
        Response.Headers.WWWAuthenticate = SchemeName;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
    }

    /// <summary>The user a request authenticated as (only on endpoints that require authorization).</summary>
    public static UserIdentity UserOf(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier)!,
        principal.FindFirstValue(ClaimTypes.Name)!,
        principal.FindFirstValue(ClaimTypes.Role)!,
        principal.FindFirstValue(AvatarClaim),
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(principal.FindFirstValue(ExpiresClaim)!, System.Globalization.CultureInfo.InvariantCulture)));
}
