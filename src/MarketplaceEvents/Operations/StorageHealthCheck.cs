using MarketplaceEvents.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MarketplaceEvents.Operations;

/// <summary>Ready when the SQLite database opens and answers a query.</summary>
internal sealed class StorageHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The storage does not answer.", ex);
        }
    }
}
