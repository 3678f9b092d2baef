using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Domain;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// Emits the application-level <c>ping</c> {timestamp} to every authenticated connection every
/// <see cref="RealtimeOptions.AppPingInterval"/> (one broadcast, encoded once); clients answer <c>pong</c>.
/// </summary>
internal sealed class AppPingService(IRealtimeEmitter emitter, IOptions<RealtimeOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AppPingInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                emitter.ToEveryone(EventNames.Ping, new PingEvent(Timestamps.ToIso(time.GetUtcNow())));
            }
        }
        catch (OperationCanceledException)
        {
            // The application is stopping.
        }
    }
}
