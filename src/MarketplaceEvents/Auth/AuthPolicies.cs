using MarketplaceEvents.Domain;
using Microsoft.AspNetCore.Authorization;

namespace MarketplaceEvents.Auth;

/// <summary>The authorization policies of the REST endpoints, one per group of roles allowed.</summary>
internal static class AuthPolicies
{
    public const string AnyUser = "any-user";
    public const string Buyer = "buyer";
    public const string Provider = "provider";
    public const string ProviderOrAdmin = "provider-or-admin";
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(AnyUser, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Buyer, p => p.RequireRole(UserRole.User));
        options.AddPolicy(Provider, p => p.RequireRole(UserRole.Provider));
        options.AddPolicy(ProviderOrAdmin, p => p.RequireRole(UserRole.Provider, UserRole.Admin));
        options.AddPolicy(Admin, p => p.RequireRole(UserRole.Admin));
    }
}
