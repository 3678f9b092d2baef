using MarketplaceEvents.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MarketplaceEvents.Operations;

/// <summary>Ready when the database (SQLite or PostgreSQL) opens and answers a query.</summary>
internal sealed class StorageHealthCheck(IMarketplaceDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.CheckAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The storage does not answer.", ex);
        }
    }
}
