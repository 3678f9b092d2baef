using SocketIo.Adapters.Cluster;
using SocketIo.Postgres.Internal;

namespace SocketIo.Postgres;

/// <summary>
/// The PostgreSQL adapter, wire-compatible with @socket.io/postgres-adapter 0.5.0: every message of a namespace
/// (broadcasts, requests, their responses, heartbeats) is a notification on <c>{prefix}#{nsp}</c>
/// (<c>pg_notify</c>, JSON); one that has binary values or is larger than the threshold is stored as msgpack in the
/// attachments table and announced by a header <c>{uid, type, attachmentId}</c>. Nodes know each other by their
/// heartbeats (<see cref="ClusterAdapterWithHeartbeat"/>), which also gives the server count. As with the npm
/// package, connection state recovery does not span nodes. Create it with <c>options.UsePostgresAdapter(...)</c>.
/// </summary>
public sealed class PostgresAdapter : ClusterAdapterWithHeartbeat
{
    private readonly PostgresPubSub _pubSub;
    private readonly Func<PostgresPubSub, ValueTask> _release;
    private int _closed;

    internal PostgresAdapter(SocketIoNamespace @namespace, PostgresPubSub pubSub, PostgresAdapterOptions options, Func<PostgresPubSub, ValueTask> release)
        : base(@namespace, options.HeartbeatInterval, options.HeartbeatTimeout)
    {
        _pubSub = pubSub;
        _release = release;
        RequestTimeout = options.RequestsTimeout;
        // The others learn of this node once it hears them: its INITIAL_HEARTBEAT goes out when it listens.
        Subscribed = pubSub.Register(this).ContinueWith(_ => Init(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Completes once this node listens to its namespace's channel and has announced itself.</summary>
    public Task Subscribed { get; }

    /// <inheritdoc />
    protected override async Task<string?> PublishAsync(ClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _pubSub.PublishAsync(message).ConfigureAwait(false);
        return null;
    }

    /// <summary>Responses go on the namespace's channel too: every node gets them, the requester keeps them.</summary>
    protected override Task PublishResponseAsync(string requesterUid, ClusterMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return _pubSub.PublishAsync(response);
    }

    /// <summary>A message of another node, handed over in the order of the notifications.</summary>
    internal void OnNotification(ClusterMessage message) => OnReceived(message, offset: null);

    internal void OnMalformed(int length) => OnMalformedMessage(length);

    /// <inheritdoc />
    public override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        // ADAPTER_CLOSE first, while the shared connection is still there.
        await base.CloseAsync().ConfigureAwait(false);
        if (_pubSub.Unregister(this)) await _release(_pubSub).ConfigureAwait(false);
    }
}
