using MarketplaceEvents.Auth;
using MarketplaceEvents.Configuration;

namespace MarketplaceEvents.Tests.Auth;

public sealed class SigningKeysTests
{
    [Fact]
    public void GeneratesADevelopmentKeyOfAtLeast32BytesWhenNoneIsConfigured()
    {
        var keys = SigningKeys.Create(new AuthOptions());
        keys.IsDevelopmentKey.Should().BeTrue();
        System.Text.Encoding.UTF8.GetByteCount(keys.GeneratedKeyText!).Should().BeGreaterThanOrEqualTo(32);
        keys.Algorithms.Should().Equal("HS256");
        SigningKeys.Create(new AuthOptions()).GeneratedKeyText.Should().NotBe(keys.GeneratedKeyText, "each run gets its own key");
    }

    [Fact]
    public void RefusesASigningKeyShorterThan32BytesOfUtf8()
    {
        var create = () => SigningKeys.Create(new AuthOptions { SigningKey = new string('k', 31) });
        create.Should().Throw<InvalidOperationException>().WithMessage("*31 bytes*at least 32*");
        // 16 characters of two bytes each are 32 bytes.
        SigningKeys.Create(new AuthOptions { SigningKey = new string('é', 16) }).IsDevelopmentKey.Should().BeFalse();
    }

    [Fact]
    public void RefusesAPublicKeyFileThatIsMissingOrNotPem()
    {
        var missing = () => SigningKeys.Create(new AuthOptions { PublicKeyPath = "/nonexistent/key.pem" });
        missing.Should().Throw<InvalidOperationException>().WithMessage("*cannot read*");

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a key");
            var garbage = () => SigningKeys.Create(new AuthOptions { PublicKeyPath = path });
            garbage.Should().Throw<InvalidOperationException>().WithMessage("*no RSA key*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
