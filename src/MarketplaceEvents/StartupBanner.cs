using MarketplaceEvents.Auth;
using MarketplaceEvents.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MarketplaceEvents;

/// <summary>
/// Once the server listens, prints where (one "MarketplaceEvents listening on URL" line per address, which
/// scripts and tests wait for), the database file, and with a generated development key the key and sample tokens.
/// </summary>
internal sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    SigningKeys keys,
    IMarketplaceDatabase database,
    TimeProvider time,
    ILogger<StartupBanner> logger) : IHostedService
{
    public const string ListeningPrefix = "MarketplaceEvents listening on ";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var output = Console.Out;
        output.WriteLine($"MarketplaceEvents database: {database.Description}");
        if (keys.IsDevelopmentKey)
        {
            Log.DevelopmentKey(logger);
            output.WriteLine("No Auth:SigningKey or Auth:PublicKeyPath configured: using a development HS256 key generated for this run.");
            output.WriteLine($"  Auth:SigningKey={keys.GeneratedKeyText}");
            output.WriteLine("  Sample tokens (24 h), to pass as io(url, { auth: { token: \"Bearer <token>\" } }):");
            foreach (var (_, _, role, token) in DevelopmentTokens.Samples(keys.HmacKey!, time.GetUtcNow().AddHours(24)))
            {
                output.WriteLine($"    {role,-8} {token}");
            }
        }
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            output.WriteLine(ListeningPrefix + address);
        }
        if (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } first)
        {
            output.WriteLine($"Open {first.TrimEnd('/')}/ in a browser: a live page of the marketplace (pick a sample user when the development key is in use).");
        }
        output.Flush();
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "Using a generated development signing key: tokens minted with it stop working when the service restarts. Configure Auth:SigningKey or Auth:PublicKeyPath for anything else.", EventName = "DevelopmentSigningKey")]
        public static partial void DevelopmentKey(ILogger logger);
    }
}
