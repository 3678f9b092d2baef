using System.Net;
using System.Text.Json;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>The REST API of the real service over HTTP: statuses, problem details, created resources.</summary>
public sealed class RestApiTests(DefaultHostFixture fixture) : IClassFixture<DefaultHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? token = null, string? json = null)
    {
        var response = await _host.Http.SendAsync(_host.Request(method, path, token, json));
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response);
    }

    [Fact]
    public async Task AnswersWithoutATokenWith401ProblemDetails()
    {
        var (status, type, body, response) = await SendAsync(HttpMethod.Get, "/api/conversations");
        status.Should().Be(HttpStatusCode.Unauthorized);
        type.Should().Be("application/problem+json");
        body.GetProperty("code").GetString().Should().Be("AUTH_FAILED");
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Fact]
    public async Task AnswersABadTokenWith401SayingWhy()
    {
        var (status, _, body, _) = await SendAsync(HttpMethod.Get, "/api/conversations", MarketplaceHost.Token("late", "user", TimeSpan.FromSeconds(-5)));
        status.Should().Be(HttpStatusCode.Unauthorized);
        body.GetProperty("detail").GetString().Should().Be("Authentication token expired");
    }

    [Fact]
    public async Task AnswersTheWrongRoleWith403ProblemDetails()
    {
        var (status, type, body, _) = await SendAsync(HttpMethod.Post, "/api/orders", MarketplaceHost.Token("p", "provider"), """{"listingId":"l","quantity":1}""");
        status.Should().Be(HttpStatusCode.Forbidden);
        type.Should().Be("application/problem+json");
        body.GetProperty("code").GetString().Should().Be("FORBIDDEN");
    }

    [Fact]
    public async Task CreatesAListingWith201AndItsLocation()
    {
        var token = MarketplaceHost.Token("rest-provider", "provider");
        var (status, _, body, response) = await SendAsync(HttpMethod.Post, "/api/listings", token, """{"title":"Chair","price":35.5,"currency":"EUR","quantity":4,"lowStockThreshold":1}""");
        status.Should().Be(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString();
        response.Headers.Location!.ToString().Should().Be($"/api/listings/{id}");
        body.GetProperty("price").GetDecimal().Should().Be(35.5m);
        body.GetProperty("stockStatus").GetString().Should().Be("in_stock");

        var (getStatus, _, fetched, _) = await SendAsync(HttpMethod.Get, $"/api/listings/{id}", token);
        getStatus.Should().Be(HttpStatusCode.OK);
        fetched.GetRawText().Should().Be(body.GetRawText());
    }

    [Fact]
    public async Task RefusesAnInvalidBodyWith400ListingTheFields()
    {
        var (status, type, body, _) = await SendAsync(HttpMethod.Post, "/api/orders", MarketplaceHost.Token("b", "user"), """{"quantity":"two"}""");
        status.Should().Be(HttpStatusCode.BadRequest);
        type.Should().Be("application/problem+json");
        body.GetProperty("code").GetString().Should().Be("INVALID_PAYLOAD");
        body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Should().Equal("listingId is required", "quantity must be an integer");
    }

    [Fact]
    public async Task RefusesABodyWithAnUnpairedSurrogateWith400()
    {
        // Valid JSON that no .NET string can hold: a 400 naming the field, not a 500.
        var (status, type, body, _) = await SendAsync(HttpMethod.Post, "/api/orders", MarketplaceHost.Token("b-surrogate", "user"), """{"listingId":"a\ud800b","quantity":1}""");
        status.Should().Be(HttpStatusCode.BadRequest);
        type.Should().Be("application/problem+json");
        body.GetProperty("code").GetString().Should().Be("INVALID_PAYLOAD");
        body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Should().Equal("listingId must be valid UTF-16 text (it has an unpaired surrogate)");
    }

    [Fact]
    public async Task ReportsAnInvalidOrderTransitionWith409()
    {
        var provider = MarketplaceHost.Token("p409", "provider");
        var buyer = MarketplaceHost.Token("b409", "user");
        var listing = (await SendAsync(HttpMethod.Post, "/api/listings", provider, """{"title":"T","price":1,"currency":"EUR","quantity":1}""")).Body.GetProperty("id").GetString();
        var order = (await SendAsync(HttpMethod.Post, "/api/orders", buyer, $$"""{"listingId":"{{listing}}","quantity":1}""")).Body.GetProperty("id").GetString();

        var (status, type, body, _) = await SendAsync(HttpMethod.Patch, $"/api/orders/{order}/status", provider, """{"status":"delivered"}""");
        status.Should().Be(HttpStatusCode.Conflict);
        type.Should().Be("application/problem+json");
        body.GetProperty("code").GetString().Should().Be("INVALID_TRANSITION");
        body.GetProperty("detail").GetString().Should().Be("An order cannot go from pending to delivered");
    }

    [Fact]
    public async Task ReportsHealthAndStatistics()
    {
        var (status, _, health, _) = await SendAsync(HttpMethod.Get, "/health");
        status.Should().Be(HttpStatusCode.OK);
        health.GetProperty("status").GetString().Should().Be("ok");
        health.GetProperty("active_connections").GetInt32().Should().BeGreaterThanOrEqualTo(0);
        health.GetProperty("uptime_seconds").GetInt64().Should().BeGreaterThanOrEqualTo(0);

        var (_, _, socketHealth, _) = await SendAsync(HttpMethod.Get, "/api/v1/websocket/health");
        socketHealth.GetProperty("success").GetBoolean().Should().BeTrue();
        socketHealth.GetProperty("data").GetProperty("healthy").GetBoolean().Should().BeTrue();
        var (_, _, stats, _) = await SendAsync(HttpMethod.Get, "/api/v1/websocket/stats");
        stats.GetProperty("data").TryGetProperty("totalConnections", out _).Should().BeTrue();
        stats.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
    }
}
