using System.Text.RegularExpressions;

namespace SocketIo.AdminUi;

/// <summary>
/// The admin UI's login (the npm package's <c>auth: { type: "basic", username, password }</c>): one user name and
/// the bcrypt hash of its password (<c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c>).
/// </summary>
public sealed partial record AdminUiBasicAuthentication
{
    /// <summary>Creates the login; throws when <paramref name="passwordHash"/> is not a bcrypt hash.</summary>
    /// <exception cref="ArgumentException">The hash is not a bcrypt hash.</exception>
    public AdminUiBasicAuthentication(string username, string passwordHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(passwordHash);
        if (!BcryptHash().IsMatch(passwordHash))
            throw new ArgumentException("The password must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31), not the password itself.", nameof(passwordHash));
        Username = username;
        PasswordHash = passwordHash;
    }

    /// <summary>The user name the UI must send.</summary>
    public string Username { get; }

    /// <summary>The bcrypt hash of the password.</summary>
    public string PasswordHash { get; }

    // Version, cost, then 22 characters of salt and 31 of hash in bcrypt's base64 alphabet.
    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptHash();
}
