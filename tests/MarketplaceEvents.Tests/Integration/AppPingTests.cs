using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>The application-level ping every authenticated socket gets, and the pongs the service records.</summary>
public sealed class AppPingTests(DefaultHostFixture fixture) : IClassFixture<DefaultHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    [Fact]
    public async Task PingsAuthenticatedSocketsAndRecordsTheirPongs()
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token("pinged", "user")));
        await using var _ = client;
        reply.Should().StartWith("40{");
        var ping = await client.ReceiveStartingWithAsync("42[\"ping\"", TimeSpan.FromSeconds(5));
        var timestamp = JsonDocument.Parse(ping[2..]).RootElement[1].GetProperty("timestamp").GetString();
        timestamp.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");

        var counters = _host.Services.GetRequiredService<MarketplaceEvents.Realtime.RealtimeCounters>();
        var before = counters.PongsReceived;
        await client.EmitAsync("pong", $$"""{"timestamp":"{{timestamp}}"}""", ackId: 1);
        await client.EmitAsync("health.check", ackId: 2);
        await client.ReceiveStartingWithAsync("432");
        counters.PongsReceived.Should().Be(before + 1);
    }
}
