namespace MarketplaceEvents.Limits;

internal sealed partial class RedisConnectionRateLimiter
{
    private static partial class Log
    {
        [LoggerMessage(420, LogLevel.Warning, "Redis is unreachable: the connection rate of {Address} is not enforced for this connection.", EventName = "IpRateNotEnforced")]
        public static partial void NotEnforced(ILogger logger, string address, Exception exception);
    }
}
