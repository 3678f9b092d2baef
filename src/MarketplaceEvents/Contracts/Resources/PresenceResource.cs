namespace MarketplaceEvents.Contracts.Resources;

/// <summary>A contact's presence in the REST API: {userId, name, status: online|away|offline}.</summary>
internal sealed record PresenceResource(string UserId, string? Name, string Status);
