using Microsoft.Extensions.Logging;

namespace EngineIo;

public sealed partial class EngineIoServer
{
    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Refused an Engine.IO request with code {Code}: {Reason}.", EventName = "RequestRefused")]
        public static partial void RequestRefused(ILogger logger, int code, string reason);

        [LoggerMessage(11, LogLevel.Information, "Refused a WebSocket upgrade of session {Sid}: it is upgraded, upgrading or closing.", EventName = "UpgradeRefused")]
        public static partial void UpgradeRefused(ILogger logger, string sid);

        [LoggerMessage(12, LogLevel.Error, "The handler failed when session {Sid} opened.", EventName = "HandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);

        [LoggerMessage(13, LogLevel.Information, "Shutting down: refusing new sessions and closing {Count} open ones.", EventName = "ShuttingDown")]
        public static partial void ShuttingDown(ILogger logger, int count);

        [LoggerMessage(14, LogLevel.Warning, "Shutdown timed out: closing {Count} sessions at once.", EventName = "ShutdownForced")]
        public static partial void ShutdownForced(ILogger logger, int count);
    }
}
