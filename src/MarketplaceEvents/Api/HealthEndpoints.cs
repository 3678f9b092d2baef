using MarketplaceEvents.Presence;
using MarketplaceEvents.Realtime;

namespace MarketplaceEvents.Api;

/// <summary>The unauthenticated health and statistics endpoints.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder api, DateTimeOffset startedAt, TimeProvider time)
    {
        api.MapGet("/health", (ConnectionRegistry registry) => Results.Ok(new
        {
            status = "ok",
            active_connections = registry.ActiveConnections,
            uptime_seconds = (long)(time.GetUtcNow() - startedAt).TotalSeconds,
        }));

        api.MapGet("/api/v1/websocket/stats", (ConnectionRegistry registry, IPresenceRegistry presence, RealtimeCounters counters) => Results.Ok(new
        {
            success = true,
            data = new
            {
                totalConnections = registry.TotalConnections,
                activeConnections = registry.ActiveConnections,
                onlineUsers = presence.OnlineUsers,
                eventsReceived = counters.EventsReceived,
                eventsRateLimited = counters.EventsRateLimited,
                eventsInvalid = counters.EventsInvalid,
                pongsReceived = counters.PongsReceived,
                connectionsRefused = counters.ConnectionsRefused,
                uptimeSeconds = (long)(time.GetUtcNow() - startedAt).TotalSeconds,
                healthy = true,
            },
            message = "WebSocket statistics",
        }));

        api.MapGet("/api/v1/websocket/health", (ConnectionRegistry registry) => Results.Ok(new
        {
            success = true,
            data = new
            {
                healthy = true,
                totalConnections = registry.TotalConnections,
                activeConnections = registry.ActiveConnections,
            },
            message = "WebSocket service is healthy",
        }));
    }
}
