namespace MarketplaceEvents.Realtime;

internal sealed partial class SocketSessions
{
    private static partial class Log
    {
        [LoggerMessage(220, LogLevel.Information, "Socket {SocketId} did not authenticate in time; disconnected.", EventName = "AuthTimedOut")]
        public static partial void AuthTimedOut(ILogger logger, string socketId);

        [LoggerMessage(221, LogLevel.Information, "Socket {SocketId} of user {UserId}: token expired; disconnected.", EventName = "TokenExpired")]
        public static partial void TokenExpired(ILogger logger, string socketId, string userId);

        [LoggerMessage(222, LogLevel.Error, "Announcing that user {UserId} went offline failed.", EventName = "OfflineFailed")]
        public static partial void OfflineFailed(ILogger logger, string userId, Exception exception);
    }
}
