namespace MarketplaceEvents.Domain;

/// <summary>The roles a token's <c>role</c> claim may name.</summary>
internal static class UserRole
{
    public const string User = "user";
    public const string Provider = "provider";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { User, Provider, Admin };
}
