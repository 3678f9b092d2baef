using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>
/// The real service, built as Program.cs builds it, on a free loopback port with a fresh SQLite file, a known HS256
/// key and any extra configuration (command-line style keys such as <c>Limits:EventsPerWindow</c>).
/// </summary>
internal sealed class MarketplaceHost : IAsyncDisposable
{
    public const string SigningKey = "integration-tests-signing-key-0123456789";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly string _folder;

    private MarketplaceHost(WebApplication app, string folder, Uri baseUri)
    {
        _app = app;
        _folder = folder;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = Timeout };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<MarketplaceHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(configuredKey: true, settings);

    /// <summary>The service as <c>dotnet run</c> starts it without a key: with a development key generated for the run.</summary>
    public static Task<MarketplaceHost> StartWithDevelopmentKeyAsync() => StartAsync(configuredKey: false, []);

    private static async Task<MarketplaceHost> StartAsync(bool configuredKey, (string Key, string Value)[] settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Storage:Sqlite", Path.Combine(folder, "market.db"),
            "--Logging:LogLevel:Default", Environment.GetEnvironmentVariable("MARKETPLACE_TEST_LOG") == "1" ? "Debug" : "Warning",
            "--shutdownTimeoutSeconds", "1",
            // Every test connects from 127.0.0.1; the test of this limit lowers it again.
            "--Limits:ConnectionsPerIp", "100000",
        };
        if (configuredKey) args.AddRange(["--Auth:SigningKey", SigningKey]);
        foreach (var (key, value) in settings) args.AddRange(["--" + key, value]);

        var app = await MarketplaceApplication.CreateAsync([.. args]);
        await app.StartAsync().WaitAsync(Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MarketplaceHost(app, folder, new Uri(address));
    }

    /// <summary>A token for the host's key.</summary>
    public static string Token(string userId, string role, TimeSpan? lifetime = null, string? name = null) =>
        MarketplaceEvents.Auth.DevelopmentTokens.Mint(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(SigningKey)),
            userId, name ?? userId, role, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)));

    public HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // A client that never closed cannot hold the test run: the timeout ends the wait.
        }
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
