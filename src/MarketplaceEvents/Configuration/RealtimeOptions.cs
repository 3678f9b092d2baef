namespace MarketplaceEvents.Configuration;

/// <summary>The <c>Realtime</c> configuration section.</summary>
internal sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    /// <summary>How often the server emits the application-level <c>ping</c> event. Default: 30 s.</summary>
    public TimeSpan AppPingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Engine.IO heartbeat interval. Default: 25 s (the Socket.IO default).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>The Engine.IO heartbeat timeout. Default: 20 s (the Socket.IO default).</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a dropped connection can be resumed with nothing lost (Socket.IO connection state recovery).
    /// Default: 2 min (the library's default).
    /// </summary>
    public TimeSpan RecoveryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The period of <c>listing.views</c> counts. Default: 24 h.</summary>
    public TimeSpan ListingViewsPeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Origins allowed to long-poll cross-origin (browsers); empty allows none. Default: none.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// Redis, for several instances to share broadcasts (<c>127.0.0.1:6379</c> or <c>redis://host:6379</c>): each
    /// instance's clients then get every event, whichever instance emitted it. Long-polling clients need sticky
    /// sessions at the load balancer. Default: none (one instance).
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>
    /// With <see cref="Redis"/>: how often a node tells the cluster it is alive, and looks for nodes that stopped
    /// doing so. Default: 5 s.
    /// </summary>
    public TimeSpan NodeHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With <see cref="Redis"/>: how long after its last heartbeat a node counts as dead; its connections then stop
    /// counting for presence and the per-user limit. A dead node's users are announced offline within about this
    /// plus <see cref="NodeHeartbeatInterval"/>. Default: 15 s.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// With <see cref="Redis"/>: use the Redis Streams adapter instead of the pub/sub one, so that a client whose
    /// instance died resumes its session (socket id, rooms, missed events) on another instance. Default: false.
    /// </summary>
    public bool RedisStreams { get; set; }
}
