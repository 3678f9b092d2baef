using Microsoft.Extensions.Logging;

namespace SocketIo.Adapters.Cluster;

public abstract partial class ClusterAdapter
{
    private static partial class Log
    {
        [LoggerMessage(1200, LogLevel.Debug, "Publishing a cluster message of type {Type} for namespace {Namespace} failed.", EventName = "ClusterPublishFailed")]
        public static partial void PublishFailed(ILogger logger, ClusterMessageType type, string @namespace, Exception exception);

        [LoggerMessage(1201, LogLevel.Debug, "Ignored {Length} bytes for namespace {Namespace} that are not a cluster message.", EventName = "ClusterMalformedMessage")]
        public static partial void MalformedMessage(ILogger logger, int length, string @namespace);

        [LoggerMessage(1202, LogLevel.Error, "Handling a cluster message of type {Type} from node {Uid} for namespace {Namespace} failed.", EventName = "ClusterHandlingFailed")]
        public static partial void HandlingFailed(ILogger logger, ClusterMessageType type, string uid, string @namespace, Exception exception);

        [LoggerMessage(1203, LogLevel.Warning, "Namespace {Namespace}: socket {SocketId} resumed while this node was far behind the cluster log; some events sent meanwhile may be missing.", EventName = "ClusterLogCatchUpIncomplete")]
        public static partial void CatchUpIncomplete(ILogger logger, string @namespace, string socketId);
    }
}
