using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketIo;

namespace MarketplaceEvents.Operations;

/// <summary>
/// Ready when the cluster's Redis answers: counting the server nodes is a round trip through the adapter's own
/// connection (PUBSUB NUMSUB), which fails while Redis is unreachable. Registered only with <c>Realtime:Redis</c>.
/// </summary>
internal sealed class RedisHealthCheck(SocketIoServer io) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var nodes = await io.ServerCountAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{nodes} node(s) in the cluster.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
        }
    }
}
