using MarketplaceEvents.Configuration;
using MarketplaceEvents.Services;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Presence;

/// <summary>
/// With <c>Realtime:Redis</c>: beats this node's heartbeat every <see cref="RealtimeOptions.NodeHeartbeatInterval"/>,
/// reaps the nodes whose heartbeat expired, and announces what that changed (users of a dead node offline, users of
/// this node online again after a lapse). On a clean stop it leaves the cluster at once. A Redis outage is logged and
/// waited out: the next beat after it registers this node's connections again if Redis lost them.
/// </summary>
internal sealed partial class PresenceHeartbeat(
    RedisPresenceRegistry registry,
    PresenceService presence,
    IOptions<RealtimeOptions> options,
    TimeProvider time,
    ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered before the first client arrives; a node that starts while Redis is down beats later.
        await BeatAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.NodeHeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) await BeatAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping: StopAsync leaves the cluster.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Its own bound, not the host's token (which may have run out on the way here): leaving is two quick commands,
        // and failing fast while Redis is unreachable.
        using var timeout = new CancellationTokenSource(LeaveTimeout);
        try
        {
            await AnnounceAsync([], await registry.LeaveAsync(timeout.Token).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The other nodes reap this one once its heartbeat expires: only the timing of the offline updates suffers.
            Log.LeaveFailed(logger, ex);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var changes = await registry.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
            var reaped = await registry.ReapDeadNodesAsync(cancellationToken).ConfigureAwait(false);
            await AnnounceAsync(changes.CameOnline, [.. changes.WentOffline, .. reaped]).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Redis unreachable: the heartbeat may lapse meanwhile, and is repaired by the first beat that gets through.
            Log.HeartbeatFailed(logger, ex);
        }
    }

    private async Task AnnounceAsync(IReadOnlyList<string> cameOnline, IReadOnlyList<string> wentOffline)
    {
        foreach (var userId in cameOnline) await AnnounceAsync(userId, online: true).ConfigureAwait(false);
        foreach (var userId in wentOffline) await AnnounceAsync(userId, online: false).ConfigureAwait(false);
    }

    private async Task AnnounceAsync(string userId, bool online)
    {
        try
        {
            if (online) await presence.CameOnlineAsync(userId).ConfigureAwait(false);
            else await presence.WentOfflineAsync(userId).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // One user's announcement failing must not hold the others'.
            Log.AnnounceFailed(logger, userId, ex);
        }
    }
}
