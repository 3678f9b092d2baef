namespace MarketplaceEvents.Tests.Integration;

/// <summary>
/// <c>Realtime:CorsOrigins</c>: one policy for the REST API and the Socket.IO endpoint, the same on a preflight and on
/// the request it clears (credentials allowed, as socket.io-client's <c>withCredentials</c> needs).
/// </summary>
public sealed class CorsTests(CorsHostFixture fixture) : IClassFixture<CorsHostFixture>
{
    private const string Allowed = "http://shop.example";
    private const string Refused = "http://elsewhere.example";
    private const string EnginePath = "/socket.io/?EIO=4&transport=polling";
    private const string RestPath = "/health";

    [Theory]
    [InlineData(EnginePath)]
    [InlineData(RestPath)]
    public async Task A_preflight_from_an_allowed_origin_allows_it_with_credentials(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", Allowed);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await fixture.Host.Http.SendAsync(request);

        response.IsSuccessStatusCode.Should().BeTrue(response.StatusCode.ToString());
        Header(response, "Access-Control-Allow-Origin").Should().Be(Allowed);
        Header(response, "Access-Control-Allow-Credentials").Should().Be("true");
        Header(response, "Access-Control-Allow-Methods").Should().Contain("GET");
        Header(response, "Access-Control-Allow-Headers").Should().Contain("content-type");
    }

    [Theory]
    [InlineData(EnginePath)]
    [InlineData(RestPath)]
    public async Task A_request_from_an_allowed_origin_is_allowed_with_credentials(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", Allowed);
        using var response = await fixture.Host.Http.SendAsync(request);

        response.IsSuccessStatusCode.Should().BeTrue(response.StatusCode.ToString());
        Header(response, "Access-Control-Allow-Origin").Should().Be(Allowed);
        Header(response, "Access-Control-Allow-Credentials").Should().Be("true");
    }

    [Theory]
    [InlineData(EnginePath)]
    [InlineData(RestPath)]
    public async Task A_refused_origin_gets_no_cors_headers_on_a_preflight_or_a_request(string path)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, path);
        preflight.Headers.Add("Origin", Refused);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var preflightResponse = await fixture.Host.Http.SendAsync(preflight);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", Refused);
        using var response = await fixture.Host.Http.SendAsync(request);

        foreach (var answer in new[] { preflightResponse, response })
        {
            Header(answer, "Access-Control-Allow-Origin").Should().BeNull();
            Header(answer, "Access-Control-Allow-Credentials").Should().BeNull();
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}

public sealed class CorsHostFixture : HostFixture
{
    protected override (string Key, string Value)[] Settings => [("Realtime:CorsOrigins:0", "http://shop.example")];
}
