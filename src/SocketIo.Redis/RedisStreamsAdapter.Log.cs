using Microsoft.Extensions.Logging;

namespace SocketIo.Redis;

public sealed partial class RedisStreamsAdapter
{
    private static partial class Log
    {
        [LoggerMessage(1125, LogLevel.Debug, "Namespace {Namespace}: a session was not restored from Redis ({Reason}); the client gets a new one.", EventName = "StreamsRestoreRefused")]
        public static partial void RestoreRefused(ILogger logger, string @namespace, string reason);

        [LoggerMessage(1126, LogLevel.Debug, "Namespace {Namespace}: socket {SocketId} resumed its session from Redis with {Missed} missed events.", EventName = "StreamsSessionRestored")]
        public static partial void SessionRestored(ILogger logger, string @namespace, string socketId, int missed);

        [LoggerMessage(1127, LogLevel.Warning, "Namespace {Namespace}: the data of socket {SocketId} cannot be serialized; its session is stored in Redis without it.", EventName = "StreamsSessionDataNotSerializable")]
        public static partial void DataNotSerializable(ILogger logger, string @namespace, string socketId, Exception exception);
    }
}
