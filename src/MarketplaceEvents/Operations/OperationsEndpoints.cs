using EngineIo;
using MarketplaceEvents.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using SocketIo;

namespace MarketplaceEvents.Operations;

/// <summary>
/// Metrics and health checks: the Socket.IO and Engine.IO meters (with ASP.NET Core's and Kestrel's) exported in
/// the Prometheus text format at <c>/metrics</c>; <c>/health/live</c> (the process answers) and <c>/health/ready</c>
/// (every check tagged <see cref="ReadyTag"/>: the storage, and Redis when configured). <c>/health</c> keeps its
/// own contract (see HealthEndpoints).
/// </summary>
internal static class OperationsEndpoints
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs. A new dependency joins with one line in <see cref="AddReadinessChecks"/>.</summary>
    public const string ReadyTag = "ready";

    public static void AddOperations(this IServiceCollection services, RealtimeOptions realtime)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SocketIoServer.MeterName, EngineIoServer.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        services.AddHealthChecks().AddReadinessChecks(realtime);
    }

    /// <summary>
    /// The readiness checks, one line each, tagged <see cref="ReadyTag"/>.
    /// </summary>
    private static void AddReadinessChecks(this IHealthChecksBuilder checks, RealtimeOptions realtime)
    {
        checks.AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag]);
        if (!string.IsNullOrWhiteSpace(realtime.Redis)) checks.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
    }

    public static void MapOperations(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        // Liveness runs no check: a dependency that is down must not get the process restarted.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) });
    }
}
