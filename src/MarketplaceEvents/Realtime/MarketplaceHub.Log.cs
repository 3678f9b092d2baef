namespace MarketplaceEvents.Realtime;

internal sealed partial class MarketplaceHub
{
    private static partial class Log
    {
        [LoggerMessage(230, LogLevel.Error, "Setting up the session of socket {SocketId} (user {UserId}) failed.", EventName = "SessionSetupFailed")]
        public static partial void SessionSetupFailed(ILogger logger, string socketId, string userId, Exception exception);
    }
}
