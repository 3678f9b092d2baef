namespace MarketplaceEvents.Realtime;

internal sealed partial class ConnectionGate
{
    private static partial class Log
    {
        [LoggerMessage(210, LogLevel.Information, "Connection from {Address} refused: too many new connections from this address.", EventName = "IpRateLimited")]
        public static partial void IpRateLimited(ILogger logger, string address);

        [LoggerMessage(211, LogLevel.Information, "Connection from {Address} refused: {Reason}.", EventName = "TokenRefused")]
        public static partial void TokenRefused(ILogger logger, string address, string reason);

        [LoggerMessage(212, LogLevel.Information, "Connection of user {UserId} refused: the user already holds {Max} connections.", EventName = "UserConnectionLimit")]
        public static partial void UserConnectionLimit(ILogger logger, string userId, int max);
    }
}
