using System.Security.Cryptography;
using System.Text;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MarketplaceEvents.Tests.Auth;

public sealed class TokenValidatorTests : IDisposable
{
    private const string Key = "a-test-signing-key-of-at-least-32-bytes!";
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var file in _files) File.Delete(file);
    }

    private TokenValidator Validator(AuthOptions? options = null)
    {
        options ??= new AuthOptions { SigningKey = Key };
        return new TokenValidator(SigningKeys.Create(options), Options.Create(options), _time);
    }

    /// <summary>Writes the key's public half as PEM to a temporary file (deleted with the test).</summary>
    private async Task<string> PublicKeyFileAsync(RSA rsa)
    {
        var path = Path.GetTempFileName();
        _files.Add(path);
        await File.WriteAllTextAsync(path, rsa.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    private static SymmetricSecurityKey HmacKey(string key = Key) => new(Encoding.UTF8.GetBytes(key));

    private static string Token(SecurityKey key, Dictionary<string, object> claims, string algorithm = SecurityAlgorithms.HmacSha256) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private Dictionary<string, object> Claims(int expiresInSeconds = 3600) => new()
    {
        ["sub"] = "user-7",
        ["name"] = "Ada",
        ["role"] = "provider",
        ["avatar"] = "https://example.test/ada.png",
        ["exp"] = _time.GetUtcNow().AddSeconds(expiresInSeconds).ToUnixTimeSeconds(),
    };

    [Fact]
    public async Task RefusesAStringExpiryAndANumericSubject()
    {
        var stringExpiry = Claims();
        stringExpiry["exp"] = _time.GetUtcNow().AddSeconds(3600).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var numericSubject = Claims();
        numericSubject["sub"] = 12345;

        var expiry = await Validator().ValidateAsync(Token(HmacKey(), stringExpiry));
        expiry.IsValid.Should().BeFalse("exp must be a NumericDate (a JSON number)");
        expiry.Failure.Should().Contain("'exp'");
        var subject = await Validator().ValidateAsync(Token(HmacKey(), numericSubject));
        subject.IsValid.Should().BeFalse("sub must be a string");
        subject.Failure.Should().Contain("'sub'");
    }

    [Fact]
    public async Task AcceptsAnHs256TokenWithOrWithoutTheBearerPrefix()
    {
        var token = Token(HmacKey(), Claims());
        foreach (var presented in new[] { token, "Bearer " + token, "bearer  " + token + " " })
        {
            var check = await Validator().ValidateAsync(presented);
            check.IsValid.Should().BeTrue(check.Failure);
            check.User!.Id.Should().Be("user-7");
            check.User.Name.Should().Be("Ada");
            check.User.Role.Should().Be("provider");
            check.User.Avatar.Should().Be("https://example.test/ada.png");
            check.User.ExpiresAt.ToUnixTimeSeconds().Should().Be((long)Claims()["exp"]);
        }
    }

    [Fact]
    public async Task AcceptsAnRs256TokenCheckedWithTheConfiguredPublicKey()
    {
        using var rsa = RSA.Create(2048);
        var validator = Validator(new AuthOptions { PublicKeyPath = await PublicKeyFileAsync(rsa) });

        var check = await validator.ValidateAsync(Token(new RsaSecurityKey(rsa), Claims(), SecurityAlgorithms.RsaSha256));

        check.IsValid.Should().BeTrue(check.Failure);
        check.User!.Id.Should().Be("user-7");
        // With only RS256 configured, an HS256 token is refused whatever key it was signed with.
        (await validator.ValidateAsync(Token(HmacKey(), Claims()))).IsValid.Should().BeFalse();
    }

    [Fact]
    public async Task AcceptsBothAlgorithmsWhenBothKeysAreConfigured()
    {
        using var rsa = RSA.Create(2048);
        var validator = Validator(new AuthOptions { SigningKey = Key, PublicKeyPath = await PublicKeyFileAsync(rsa) });

        (await validator.ValidateAsync(Token(new RsaSecurityKey(rsa), Claims(), SecurityAlgorithms.RsaSha256))).IsValid.Should().BeTrue();
        (await validator.ValidateAsync(Token(HmacKey(), Claims()))).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task RefusesAnExpiredToken()
    {
        var check = await Validator().ValidateAsync(Token(HmacKey(), Claims(expiresInSeconds: -1)));
        check.Failure.Should().Be("Authentication token expired");
    }

    [Fact]
    public async Task AllowsTheConfiguredClockSkewAroundTheExpiry()
    {
        var validator = Validator(new AuthOptions { SigningKey = Key, ClockSkew = TimeSpan.FromSeconds(30) });
        (await validator.ValidateAsync(Token(HmacKey(), Claims(expiresInSeconds: -10)))).IsValid.Should().BeTrue();
        (await validator.ValidateAsync(Token(HmacKey(), Claims(expiresInSeconds: -40)))).IsValid.Should().BeFalse();
    }

    [Fact]
    public async Task RefusesATokenThatExpiresLaterByTheServiceClock()
    {
        var token = Token(HmacKey(), Claims(expiresInSeconds: 60));
        (await Validator().ValidateAsync(token)).IsValid.Should().BeTrue();
        _time.Advance(TimeSpan.FromSeconds(61));
        (await Validator().ValidateAsync(token)).Failure.Should().Be("Authentication token expired");
    }

    [Fact]
    public async Task RefusesATokenSignedWithAnotherKey()
    {
        var check = await Validator().ValidateAsync(Token(HmacKey("another-key-that-is-also-32-bytes-long!!"), Claims()));
        check.Failure.Should().Be("Authentication token signature is invalid");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer ")]
    public async Task RefusesAMissingToken(string token)
    {
        (await Validator().ValidateAsync(token)).Failure.Should().Be("Authentication token missing");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.not-json.sig")]
    public async Task RefusesAMalformedToken(string token)
    {
        var check = await Validator().ValidateAsync(token);
        check.IsValid.Should().BeFalse();
        check.Failure.Should().Be("Malformed authentication token");
    }

    [Fact]
    public async Task RefusesAnUnsignedToken()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode($$"""{"sub":"x","role":"admin","exp":{{_time.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}}}""");
        (await Validator().ValidateAsync($"{header}.{payload}.")).IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("sub", "Authentication token has no valid 'sub' claim")]
    [InlineData("role", "Authentication token has no valid 'role' claim (user, provider or admin)")]
    [InlineData("exp", "Authentication token has no expiry")]
    public async Task RefusesATokenWithoutARequiredClaim(string claim, string failure)
    {
        var claims = Claims();
        claims.Remove(claim);
        (await Validator().ValidateAsync(Token(HmacKey(), claims))).Failure.Should().Be(failure);
    }

    [Fact]
    public async Task RefusesAnUnknownRoleAndUsesTheIdWhenTheNameIsMissing()
    {
        var claims = Claims();
        claims["role"] = "superuser";
        (await Validator().ValidateAsync(Token(HmacKey(), claims))).IsValid.Should().BeFalse();

        claims = Claims();
        claims.Remove("name");
        claims.Remove("avatar");
        var check = await Validator().ValidateAsync(Token(HmacKey(), claims));
        check.User!.Name.Should().Be("user-7");
        check.User.Avatar.Should().BeNull();
    }

    [Fact]
    public async Task RefusesATokenNotYetValid()
    {
        var claims = Claims();
        claims["nbf"] = _time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        (await Validator().ValidateAsync(Token(HmacKey(), claims))).Failure.Should().Be("Authentication token not yet valid");
    }

    [Fact]
    public async Task ChecksIssuerAndAudienceOnlyWhenConfigured()
    {
        var validator = Validator(new AuthOptions { SigningKey = Key, Issuer = "market", Audience = "clients" });
        (await validator.ValidateAsync(Token(HmacKey(), Claims()))).IsValid.Should().BeFalse();

        var claims = Claims();
        claims["iss"] = "market";
        claims["aud"] = "clients";
        (await validator.ValidateAsync(Token(HmacKey(), claims))).IsValid.Should().BeTrue();
        (await Validator().ValidateAsync(Token(HmacKey(), claims))).IsValid.Should().BeTrue();
    }
}
