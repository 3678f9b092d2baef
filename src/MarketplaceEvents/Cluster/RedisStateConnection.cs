using SocketIo.Redis;
using StackExchange.Redis;

namespace MarketplaceEvents.Cluster;

/// <summary>
/// The node's own connection to the cluster's Redis (<c>Realtime:Redis</c>), for the state the nodes share (presence,
/// connection limits, the per-IP rate): beside the adapter's connection, which carries broadcasts and belongs to the
/// Socket.IO server. Opened with the adapter's policy: the node starts while Redis is unreachable, and commands fail
/// at once during an outage instead of queueing.
/// </summary>
internal sealed class RedisStateConnection : IDisposable
{
    /// <summary>
    /// Every key of the shared state starts with this. The hash tag puts them all in one slot, so that the scripts,
    /// which touch several keys at once, also run on a Redis Cluster.
    /// </summary>
    public const string KeyPrefix = "marketplace:{state}:";

    private readonly ConnectionMultiplexer _multiplexer;

    public RedisStateConnection(string configuration)
    {
        var options = RedisConnectionConfiguration.Parse(configuration);
        options.ClientName = "marketplace-state";
        _multiplexer = ConnectionMultiplexer.Connect(options);
    }

    public IDatabase Database => _multiplexer.GetDatabase();

    /// <summary>Drops the connection at once, as a node that dies does; used on shutdown and by tests.</summary>
    public void Dispose() => _multiplexer.Dispose();
}
