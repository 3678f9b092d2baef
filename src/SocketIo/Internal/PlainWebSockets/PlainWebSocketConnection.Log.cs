using Microsoft.Extensions.Logging;

namespace SocketIo.Internal.PlainWebSockets;

internal sealed partial class PlainWebSocketConnection
{
    private static partial class Log
    {
        [LoggerMessage(160, LogLevel.Debug, "Plain WebSocket {ConnectionId}: invalid message ({Problem}); answered with an error.", EventName = "PlainInvalidEnvelope")]
        public static partial void InvalidEnvelope(ILogger logger, string connectionId, string problem);

        [LoggerMessage(161, LogLevel.Debug, "Plain WebSocket {ConnectionId}: no handler for message type '{Type}'; answered with an error.", EventName = "PlainUnknownType")]
        public static partial void UnknownType(ILogger logger, string connectionId, string type);

        [LoggerMessage(162, LogLevel.Information, "Plain WebSocket {ConnectionId}: a message over {Limit} bytes; closing.", EventName = "PlainMessageTooBig")]
        public static partial void MessageTooBig(ILogger logger, string connectionId, int limit);

        [LoggerMessage(163, LogLevel.Debug, "Plain WebSocket {ConnectionId}: connection lost ({Problem}).", EventName = "PlainConnectionLost")]
        public static partial void ConnectionLost(ILogger logger, string connectionId, string problem);

        [LoggerMessage(164, LogLevel.Warning, "Plain WebSocket {ConnectionId}: a packet for the client could not be read back ({Error}); skipped.", EventName = "PlainUntranslatablePacket")]
        public static partial void UntranslatablePacket(ILogger logger, string connectionId, string? error);

        [LoggerMessage(165, LogLevel.Error, "Plain WebSocket {ConnectionId}: the application's extra envelope fields failed.", EventName = "PlainExtraFieldsFailed")]
        public static partial void ExtraFieldsFailed(ILogger logger, string connectionId, System.Exception exception);

        [LoggerMessage(166, LogLevel.Warning, "Plain WebSocket {ConnectionId}: {Queued} bytes queued and unwritten, over the {Limit}-byte limit; the client is not reading: closing.", EventName = "PlainSlowConsumer")]
        public static partial void SlowConsumer(ILogger logger, string connectionId, long queued, long limit);
    }
}
