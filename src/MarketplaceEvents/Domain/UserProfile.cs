namespace MarketplaceEvents.Domain;

/// <summary>
/// What the service knows of a user, as the other participants see them. Users live in the tokens; the service
/// remembers the name and avatar each token last carried. A user never seen has a null name and avatar.
/// </summary>
internal sealed record UserProfile(string Id, string? Name, string? Avatar);
