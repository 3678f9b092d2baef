namespace MarketplaceEvents.Presence;

internal sealed partial class PresenceHeartbeat
{
    private static partial class Log
    {
        [LoggerMessage(410, LogLevel.Warning, "The node's presence heartbeat failed; retried at the next beat.", EventName = "PresenceHeartbeatFailed")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception);

        [LoggerMessage(411, LogLevel.Warning, "Leaving the cluster's presence on shutdown failed; the other nodes reap this one when its heartbeat expires.", EventName = "PresenceLeaveFailed")]
        public static partial void LeaveFailed(ILogger logger, Exception exception);

        [LoggerMessage(412, LogLevel.Error, "Announcing the presence of user {UserId} after a node change failed.", EventName = "PresenceAnnounceFailed")]
        public static partial void AnnounceFailed(ILogger logger, string userId, Exception exception);
    }
}
