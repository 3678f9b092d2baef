using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Tests;

internal static class TestUsers
{
    public static readonly DateTimeOffset FarFuture = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static UserIdentity Buyer(string id = "buyer-1") => new(id, "Buyer " + id, UserRole.User, null, FarFuture);

    public static UserIdentity Provider(string id = "provider-1") => new(id, "Provider " + id, UserRole.Provider, "https://example.test/p.png", FarFuture);

    public static UserIdentity Admin(string id = "admin-1") => new(id, "Admin " + id, UserRole.Admin, null, FarFuture);
}
