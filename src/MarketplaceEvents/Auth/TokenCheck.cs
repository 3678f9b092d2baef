using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Auth;

/// <summary>The outcome of checking a token: the user, or why the token was refused (a sentence a client can show).</summary>
internal readonly record struct TokenCheck(UserIdentity? User, string? Failure)
{
    public static TokenCheck Valid(UserIdentity user) => new(user, null);

    public static TokenCheck Invalid(string failure) => new(null, failure);

    public bool IsValid => User is not null;
}
