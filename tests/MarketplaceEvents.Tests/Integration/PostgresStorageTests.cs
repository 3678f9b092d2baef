using System.Net;
using System.Text.Json;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>The real service with <c>Storage:Postgres</c>: three instances on one database, as three nodes.</summary>
[RequiresPostgres]
public sealed class PostgresStorageTests
{
    [StoreFact]
    public async Task ThreeNodesStartingTogetherOnOneEmptyDatabaseMigrateItAndSeeEachOthersWrites()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateSchemaAsync();
        // Each start migrates the schema under the lock before it listens; all three must come up.
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MarketplaceHost.StartAsync(("Storage:Postgres", connectionString))));
        await using var a = hosts[0];
        await using var b = hosts[1];
        await using var c = hosts[2];
        a.Services.GetRequiredService<IMarketplaceDatabase>().Description.Should().StartWith("PostgreSQL 127.0.0.1:");
        using (var ready = await b.Http.GetAsync("/health/ready"))
        {
            ready.StatusCode.Should().Be(HttpStatusCode.OK, "the readiness check queries PostgreSQL");
        }

        var provider = MarketplaceHost.Token("pg-provider", "provider");
        var created = await SendAsync(a, HttpMethod.Post, "/api/listings", provider, """{"title":"Chair","price":35.5,"currency":"EUR","quantity":4}""");
        created.Status.Should().Be(HttpStatusCode.Created);
        var listingId = created.Body.GetProperty("id").GetString();

        var order = await SendAsync(b, HttpMethod.Post, "/api/orders", MarketplaceHost.Token("pg-buyer", "user"), $$"""{"listingId":"{{listingId}}","quantity":3}""");
        order.Status.Should().Be(HttpStatusCode.Created, "node B finds the listing node A stored");

        foreach (var node in hosts)
        {
            var fetched = await SendAsync(node, HttpMethod.Get, $"/api/listings/{listingId}", provider);
            fetched.Status.Should().Be(HttpStatusCode.OK);
            fetched.Body.GetProperty("quantity").GetInt32().Should().Be(1, "every node sees the stock node B took");
            fetched.Body.GetProperty("price").GetDecimal().Should().Be(35.5m);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(MarketplaceHost host, HttpMethod method, string path, string token, string? json = null)
    {
        var response = await host.Http.SendAsync(host.Request(method, path, token, json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
