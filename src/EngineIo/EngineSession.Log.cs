using Microsoft.Extensions.Logging;

namespace EngineIo;

public sealed partial class EngineSession
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Session {Sid} opened on {Transport} (protocol {Protocol}).", EventName = "SessionOpened")]
        public static partial void SessionOpened(ILogger logger, string sid, string transport, int protocol);

        [LoggerMessage(2, LogLevel.Debug, "Session {Sid} closed: {Reason} ({Description}).", EventName = "SessionClosed")]
        public static partial void SessionClosed(ILogger logger, string sid, EngineCloseReason reason, string? description);

        [LoggerMessage(3, LogLevel.Debug, "Session {Sid} is probing a WebSocket upgrade.", EventName = "UpgradeStarted")]
        public static partial void UpgradeStarted(ILogger logger, string sid);

        [LoggerMessage(4, LogLevel.Debug, "Session {Sid} upgraded to {Transport}.", EventName = "Upgraded")]
        public static partial void Upgraded(ILogger logger, string sid, string transport);

        [LoggerMessage(5, LogLevel.Information, "Session {Sid} upgrade failed: {Reason}.", EventName = "UpgradeFailed")]
        public static partial void UpgradeFailed(ILogger logger, string sid, string reason);

        [LoggerMessage(6, LogLevel.Information, "Session {Sid} sent a ping or pong in the wrong direction for its protocol.", EventName = "InvalidHeartbeatDirection")]
        public static partial void InvalidHeartbeatDirection(ILogger logger, string sid);

        [LoggerMessage(8, LogLevel.Warning, "Session {Sid} closed as a slow consumer: {Queued} bytes queued, the limit is {Limit}.", EventName = "SlowConsumer")]
        public static partial void SlowConsumer(ILogger logger, string sid, long queued, long limit);

        [LoggerMessage(9, LogLevel.Warning, "Session {Sid} closed as a slow consumer: a write made no progress for over {Seconds} s.", EventName = "WriteStalled")]
        public static partial void WriteStalled(ILogger logger, string sid, double seconds);

        [LoggerMessage(7, LogLevel.Error, "The handler failed on session {Sid}.", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);
    }
}
