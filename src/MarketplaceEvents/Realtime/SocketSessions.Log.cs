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

        [LoggerMessage(223, LogLevel.Error, "Registering socket {SocketId} of user {UserId} for presence failed; the socket is refused.", EventName = "RegistrationFailed")]
        public static partial void RegistrationFailed(ILogger logger, string socketId, string userId, Exception exception);

        [LoggerMessage(224, LogLevel.Information, "Connection of user {UserId} refused: the user already holds {Max} connections.", EventName = "UserConnectionLimitReached")]
        public static partial void UserConnectionLimit(ILogger logger, string userId, int max);
    }
}
