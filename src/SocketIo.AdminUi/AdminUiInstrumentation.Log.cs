using Microsoft.Extensions.Logging;

namespace SocketIo.AdminUi;

public sealed partial class AdminUiInstrumentation
{
    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Information, "Admin UI: a login from {Address} was refused.", EventName = "AdminLoginRefused")]
        public static partial void LoginRefused(ILogger logger, string? address);

        [LoggerMessage(601, LogLevel.Warning, "Admin UI: command '{Command}' from admin socket {SocketId} was ignored: {Message}", EventName = "AdminCommandRefused")]
        public static partial void CommandRefused(ILogger logger, string command, string socketId, string message);

        [LoggerMessage(602, LogLevel.Warning, "Admin UI: event '{Event}' could not be sent to the admin namespace.", EventName = "AdminEmitFailed")]
        public static partial void EmitFailed(ILogger logger, string @event, Exception exception);

        [LoggerMessage(603, LogLevel.Debug, "Admin UI: the data of socket {SocketId} cannot be shown (set AdminUiOptions.DataSelector); shown as {{}}.", EventName = "AdminDataNotShown")]
        public static partial void DataNotShown(ILogger logger, string socketId, Exception exception);
    }
}
