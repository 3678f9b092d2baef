using Microsoft.Extensions.Logging;

namespace SocketIo.Redis;

public sealed partial class RedisAdapter
{
    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Debug, "Ignored a malformed message on Redis channel {Channel}.", EventName = "MalformedClusterMessage")]
        public static partial void MalformedMessage(ILogger logger, string channel);

        [LoggerMessage(1111, LogLevel.Error, "Handling a message of Redis channel {Channel} failed.", EventName = "ClusterMessageFailed")]
        public static partial void HandlingFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(1112, LogLevel.Debug, "Publishing to Redis channel {Channel} failed.", EventName = "PublishFailed")]
        public static partial void PublishFailed(ILogger logger, string channel, Exception exception);
    }
}
