using System.Net;
using System.Text.Json;

namespace MarketplaceEvents.Tests.Integration;

/// <summary><c>GET /api/presence</c>: where the caller's contacts stand now.</summary>
public sealed class PresenceEndpointsTests(DefaultHostFixture fixture) : IClassFixture<DefaultHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    [Fact]
    public async Task ListsEveryContactOnlineAwayOrOffline()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (buyer, provider, stranger) = ($"pr-buyer-{suffix}", $"pr-provider-{suffix}", $"pr-stranger-{suffix}");
        var buyerToken = MarketplaceHost.Token(buyer, "user", name: "Bea");
        var providerToken = MarketplaceHost.Token(provider, "provider", name: "Pat");
        (await _host.Http.SendAsync(_host.Request(HttpMethod.Post, "/api/conversations", buyerToken, $$"""{"participantIds":["{{provider}}"]}"""))).StatusCode.Should().Be(HttpStatusCode.Created);
        var (strangerClient, _) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token(stranger, "user")));
        await using var _ = strangerClient;

        (await PresenceAsync(buyerToken)).Should().Equal($"{provider}:offline");

        var (providerClient, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(providerToken));
        await using (providerClient)
        {
            reply.Should().StartWith("40{");
            (await PresenceAsync(buyerToken)).Should().Equal($"{provider}:online");
            await providerClient.EmitAsync("presence.update", """{"status":"away"}""", ackId: 1);
            (await providerClient.ReceiveStartingWithAsync("431")).Should().Contain("\"ok\":true");
            (await PresenceAsync(buyerToken)).Should().Equal($"{provider}:away");
        }

        // The service sees the close a moment later: asked again until then, within the bound.
        var deadline = DateTime.UtcNow + MarketplaceHost.Timeout;
        while ((await PresenceAsync(buyerToken)).Single() != $"{provider}:offline" && DateTime.UtcNow < deadline) await Task.Delay(20);
        (await PresenceAsync(buyerToken)).Should().Equal($"{provider}:offline");
        (await PresenceAsync(providerToken)).Should().Equal($"{buyer}:offline");
        (await _host.Http.GetAsync("/api/presence")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private async Task<string[]> PresenceAsync(string token)
    {
        var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Get, "/api/presence", token));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var contacts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray();
        return contacts.Select(c => $"{c.GetProperty("userId").GetString()}:{c.GetProperty("status").GetString()}").ToArray();
    }
}
