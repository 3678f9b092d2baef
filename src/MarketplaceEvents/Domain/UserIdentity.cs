namespace MarketplaceEvents.Domain;

/// <summary>Who a valid token says the caller is, and until when the token holds.</summary>
/// <param name="Id">The token's <c>sub</c>.</param>
/// <param name="Name">The display name (<c>name</c>; the id when the token has none).</param>
/// <param name="Role">One of <see cref="UserRole"/>.</param>
/// <param name="Avatar">The optional <c>avatar</c> URL.</param>
/// <param name="ExpiresAt">The token's <c>exp</c>.</param>
internal sealed record UserIdentity(string Id, string Name, string Role, string? Avatar, DateTimeOffset ExpiresAt)
{
    public bool IsAdmin => Role == UserRole.Admin;

    public UserProfile ToProfile() => new(Id, Name, Avatar);
}
