namespace MarketplaceEvents.Presence;

internal sealed partial class RedisPresenceRegistry
{
    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Warning, "Redis did not take the removal of connection {SocketId} of user {UserId}; retried at the next heartbeat.", EventName = "PresenceRemovalDeferred")]
        public static partial void RemovalDeferred(ILogger logger, string socketId, string userId, Exception exception);

        [LoggerMessage(401, LogLevel.Warning, "Node {NodeId}'s heartbeat had lapsed (or Redis lost its data): registering its {Count} connection(s) again.", EventName = "PresenceReregistering")]
        public static partial void Reregistering(ILogger logger, string nodeId, int count);

        [LoggerMessage(402, LogLevel.Information, "Reaped dead node(s): {Count} user(s) went offline.", EventName = "DeadNodesReaped")]
        public static partial void Reaped(ILogger logger, int count);
    }
}
