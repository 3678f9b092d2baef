using Microsoft.Extensions.Logging;

namespace SocketIo.Internal.Recovery;

internal sealed partial class RecoveryStore
{
    private static partial class Log
    {
        [LoggerMessage(140, LogLevel.Debug, "Namespace {Namespace}: the session of socket {SocketId} is kept for recovery.", EventName = "RecoverySessionPersisted")]
        public static partial void SessionPersisted(ILogger logger, string @namespace, string socketId);

        [LoggerMessage(141, LogLevel.Debug, "Namespace {Namespace}: socket {SocketId} recovered its session; {Missed} missed packets follow.", EventName = "RecoverySessionRestored")]
        public static partial void SessionRestored(ILogger logger, string @namespace, string socketId, int missed);

        [LoggerMessage(142, LogLevel.Debug, "Namespace {Namespace}: a session could not be recovered ({Reason}); the client gets a new one.", EventName = "RecoveryRefused")]
        public static partial void RestoreRefused(ILogger logger, string @namespace, string reason);

        [LoggerMessage(143, LogLevel.Warning, "Namespace {Namespace}: the recovery store holds its maximum of {Max} packets; the oldest are dropped, and clients that missed them will get new sessions.", EventName = "RecoveryBufferFull")]
        public static partial void BufferFull(ILogger logger, string @namespace, int max);

        [LoggerMessage(144, LogLevel.Debug, "Namespace {Namespace}: {Sessions} expired sessions and {Packets} expired packets dropped from the recovery store.", EventName = "RecoveryPruned")]
        public static partial void Pruned(ILogger logger, string @namespace, int sessions, int packets);

        [LoggerMessage(145, LogLevel.Warning, "Namespace {Namespace}: socket {SocketId} recovered, but up to {Lost} packets sent while it reconnected were already dropped from the full store.", EventName = "RecoveryCatchUpIncomplete")]
        public static partial void CatchUpIncomplete(ILogger logger, string @namespace, string socketId, long lost);
    }
}
