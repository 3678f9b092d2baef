using System.Net;
using System.Text.Json;
using MarketplaceEvents.Api;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketplaceEvents.Tests.Integration;

/// <summary><c>GET /api/dev/tokens</c>: there with the generated development key only, and only for this machine.</summary>
public sealed class DevelopmentEndpointsTests
{
    [Fact]
    public async Task WithTheGeneratedKeyServesOneWorkingTokenPerSampleUser()
    {
        await using var host = await MarketplaceHost.StartWithDevelopmentKeyAsync();
        var response = await host.Http.GetAsync(DevelopmentEndpoints.TokensRoute);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var users = body.GetProperty("users").EnumerateArray().ToArray();
        users.Select(u => (u.GetProperty("id").GetString(), u.GetProperty("name").GetString(), u.GetProperty("role").GetString())).Should().Equal(
            ("buyer-1", "Sample Buyer", "user"), ("provider-1", "Sample Provider", "provider"), ("admin-1", "Sample Admin", "admin"));
        DateTimeOffset.Parse(body.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow + DevelopmentEndpoints.TokenLifetime, TimeSpan.FromMinutes(1));

        // The service accepts them, with their roles: the provider may create a listing, the buyer may not.
        var listing = """{"title":"Lamp","price":10,"currency":"EUR","quantity":1}""";
        var asProvider = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/api/listings", users[1].GetProperty("token").GetString(), listing));
        asProvider.StatusCode.Should().Be(HttpStatusCode.Created);
        var asBuyer = await host.Http.SendAsync(host.Request(HttpMethod.Post, "/api/listings", users[0].GetProperty("token").GetString(), listing));
        asBuyer.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // A socket connects with one too.
        var (client, reply) = await RawSocketClient.ConnectAsync(host, RawSocketClient.BearerAuth(users[2].GetProperty("token").GetString()!));
        await using (client) reply.Should().StartWith("40{");
    }

    [Fact]
    public async Task WithAConfiguredKeyTheRouteDoesNotExist()
    {
        await using var host = await MarketplaceHost.StartAsync();
        var response = await host.Http.GetAsync(DevelopmentEndpoints.TokensRoute);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("eyJ");
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.168.1.20", false)]
    [InlineData("::ffff:10.0.0.7", false)]
    [InlineData("2001:db8::1", false)]
    public void AnswersOnlyCallersOnThisMachine(string caller, bool answered)
    {
        var keys = SigningKeys.Create(new AuthOptions());
        var result = DevelopmentEndpoints.Tokens(IPAddress.Parse(caller), keys, TimeProvider.System);
        if (answered) result.Should().NotBeOfType<NotFound>();
        else result.Should().BeOfType<NotFound>();
    }
}
