using MarketplaceEvents.Configuration;
using MarketplaceEvents.Limits;
using MarketplaceEvents.Presence;

namespace MarketplaceEvents.Cluster;

/// <summary>
/// Chooses where the state the nodes of a cluster must agree on lives: presence with the per-user connection limit,
/// and the per-IP connection rate. In memory for one node (the default); in Redis with <c>Realtime:Redis</c>. What
/// stays per node on purpose: the per-connection event rate (a connection lives on one node, so its limiter is
/// complete there, and checking it in Redis would add a round trip to every event) and the connection counters of
/// the stats endpoints (they describe the node). The offline notification queue and the idempotency of
/// <c>clientMessageId</c> live in the database, which the nodes share.
/// </summary>
internal static class ClusterStateServiceCollectionExtensions
{
    public static IServiceCollection AddClusterState(this IServiceCollection services, RealtimeOptions realtime)
    {
        if (string.IsNullOrWhiteSpace(realtime.Redis))
        {
            services.AddSingleton<IPresenceRegistry, InMemoryPresenceRegistry>();
            services.AddSingleton<IConnectionRateLimiter, InMemoryConnectionRateLimiter>();
            return services;
        }

        if (realtime.NodeHeartbeatInterval <= TimeSpan.Zero || realtime.NodeTimeout <= realtime.NodeHeartbeatInterval)
        {
            throw new InvalidOperationException("Invalid configuration: Realtime:NodeHeartbeatInterval must be positive and Realtime:NodeTimeout longer than it.");
        }
        var redis = realtime.Redis;
        services.AddSingleton(_ => new RedisStateConnection(redis));
        services.AddSingleton<RedisPresenceRegistry>();
        services.AddSingleton<IPresenceRegistry>(provider => provider.GetRequiredService<RedisPresenceRegistry>());
        services.AddSingleton<IConnectionRateLimiter, RedisConnectionRateLimiter>();
        services.AddHostedService<PresenceHeartbeat>();
        return services;
    }
}
