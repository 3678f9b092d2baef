using System.Net;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>The page at <c>/</c> comes from the program's folder, with the socket.io-client bundle it vendors.</summary>
public sealed class StaticPageTests(DefaultHostFixture fixture) : IClassFixture<DefaultHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    [Theory]
    [InlineData("/", "text/html", "<title>Marketplace live</title>")]
    [InlineData("/app.js", "text/javascript", "/api/dev/tokens")]
    [InlineData("/app.css", "text/css", ":root")]
    [InlineData("/vendor/socket.io-client/socket.io.min.js", "text/javascript", "Socket.IO v4.8.4")]
    public async Task ServesThePageAndItsFilesWithoutAToken(string path, string contentType, string excerpt)
    {
        var response = await _host.Http.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(contentType);
        (await response.Content.ReadAsStringAsync()).Should().Contain(excerpt);
    }

    [Fact]
    public async Task ThePageLoadsItsScriptsFromTheServiceItself()
    {
        var html = await _host.Http.GetStringAsync("/");
        html.Should().Contain("""<script src="vendor/socket.io-client/socket.io.min.js"></script>""");
        html.Should().NotContainAny("http://", "https://", "//cdn");
    }
}
