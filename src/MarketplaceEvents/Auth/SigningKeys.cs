using System.Security.Cryptography;
using System.Text;
using MarketplaceEvents.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace MarketplaceEvents.Auth;

/// <summary>
/// The keys tokens are checked with: the HS256 key of <c>Auth:SigningKey</c> and/or the RS256 public key of
/// <c>Auth:PublicKeyPath</c>. With neither configured, a random HS256 development key is generated (and printed
/// at start by <see cref="StartupBanner"/>, so that a developer can mint tokens).
/// </summary>
internal sealed class SigningKeys
{
    /// <summary>The least HS256 key size, in bytes: the size of the SHA-256 output.</summary>
    public const int MinimumHmacKeyBytes = 32;

    private SigningKeys(IReadOnlyList<SecurityKey> keys, IReadOnlyList<string> algorithms, SymmetricSecurityKey? hmacKey, string? generatedKeyText)
    {
        Keys = keys;
        Algorithms = algorithms;
        HmacKey = hmacKey;
        GeneratedKeyText = generatedKeyText;
    }

    public IReadOnlyList<SecurityKey> Keys { get; }

    /// <summary>The accepted <c>alg</c> values (HS256, RS256 or both): a token signed otherwise is refused.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    /// <summary>The HS256 key, configured or generated; null when only RS256 is configured.</summary>
    public SymmetricSecurityKey? HmacKey { get; }

    /// <summary>The generated development key as text, or null when a key was configured.</summary>
    public string? GeneratedKeyText { get; }

    public bool IsDevelopmentKey => GeneratedKeyText is not null;

    /// <summary>Builds the keys from configuration.</summary>
    /// <exception cref="InvalidOperationException">A configured key is unusable: too short, or not an RSA public key in PEM.</exception>
    public static SigningKeys Create(AuthOptions options)
    {
        var keys = new List<SecurityKey>();
        var algorithms = new List<string>();
        SymmetricSecurityKey? hmacKey = null;
        string? generated = null;

        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(options.SigningKey);
            if (bytes.Length < MinimumHmacKeyBytes)
            {
                throw new InvalidOperationException(
                    $"Auth:SigningKey is {bytes.Length} bytes of UTF-8; HS256 needs at least {MinimumHmacKeyBytes}.");
            }
            hmacKey = new SymmetricSecurityKey(bytes);
        }

        if (!string.IsNullOrEmpty(options.PublicKeyPath))
        {
            keys.Add(LoadRsaPublicKey(options.PublicKeyPath));
            algorithms.Add(SecurityAlgorithms.RsaSha256);
        }

        if (hmacKey is null && keys.Count == 0)
        {
            // 32 random bytes as base64url: 43 characters of text, 43 bytes of UTF-8.
            generated = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(MinimumHmacKeyBytes));
            hmacKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(generated));
        }

        if (hmacKey is not null)
        {
            keys.Add(hmacKey);
            algorithms.Add(SecurityAlgorithms.HmacSha256);
        }
        return new SigningKeys(keys, algorithms, hmacKey, generated);
    }

    private static RsaSecurityKey LoadRsaPublicKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Auth:PublicKeyPath: cannot read '{path}': {ex.Message}", ex);
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"Auth:PublicKeyPath: '{path}' holds no RSA key in PEM format.", ex);
        }
        return new RsaSecurityKey(rsa);
    }
}
