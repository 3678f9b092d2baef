namespace MarketplaceEvents.Realtime;

internal sealed partial class EventRouter
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Debug, "Socket {SocketId}: invalid {Event} payload: {Error}", EventName = "InvalidPayload")]
        public static partial void InvalidPayload(ILogger logger, string socketId, string @event, string error);

        [LoggerMessage(201, LogLevel.Error, "Socket {SocketId}: handling {Event} failed.", EventName = "EventHandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, string socketId, string @event, Exception exception);
    }
}
