using System.Collections.Immutable;
using SocketIo.Adapters;

namespace SocketIo;

/// <summary>
/// A broadcast being described: which rooms, which exclusions, which flags. Immutable: every method returns a new
/// operator, so one can be kept and reused safely.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly SocketIoNamespace _namespace;

    internal BroadcastOperator(SocketIoNamespace @namespace, BroadcastOptions options)
    {
        _namespace = @namespace;
        Options = options;
    }

    /// <summary>The rooms, exclusions and flags of this broadcast.</summary>
    public BroadcastOptions Options { get; }

    /// <summary>Targets the sockets in <paramref name="room"/> (added to the rooms already targeted).</summary>
    public BroadcastOperator To(string room) => With(Options with { Rooms = Options.Rooms.Add(room) });

    /// <summary>Targets the sockets in any of <paramref name="rooms"/>.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => With(Options with { Rooms = Options.Rooms.Union(rooms) });

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Same as <see cref="To(IEnumerable{string})"/>.</summary>
    public BroadcastOperator In(IEnumerable<string> rooms) => To(rooms);

    /// <summary>Leaves out the sockets in <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => With(Options with { Except = Options.Except.Add(room) });

    /// <summary>Leaves out the sockets in any of <paramref name="rooms"/>.</summary>
    public BroadcastOperator Except(IEnumerable<string> rooms) => With(Options with { Except = Options.Except.Union(rooms) });

    /// <summary>Drops the packet for clients that cannot take it right now, instead of queueing it.</summary>
    public BroadcastOperator Volatile => With(Options with { Volatile = true });

    /// <summary>Only the sockets of this server node.</summary>
    public BroadcastOperator Local => With(Options with { Local = true });

    /// <summary>Whether the transport may compress the packet.</summary>
    public BroadcastOperator Compress(bool compress) => With(Options with { Compress = compress });

    /// <summary>How long <see cref="EmitWithAckAsync{T}(string, object?[])"/> waits for every acknowledgement.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => With(Options with { Timeout = timeout });

    private BroadcastOperator With(BroadcastOptions options) => new(_namespace, options);

    /// <summary>Emits an event to every targeted socket. The packet is encoded once.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        _namespace.Broadcast(eventName, args, Options);
        return true;
    }

    /// <summary>
    /// Emits an event to every targeted socket and collects each client's acknowledgement (its first argument).
    /// With <see cref="Timeout"/>, throws <see cref="SocketIoAckTimeoutException"/> carrying the answers received
    /// in time when some are missing.
    /// </summary>
    public async Task<IReadOnlyList<T?>> EmitWithAckAsync<T>(string eventName, params object?[] args)
    {
        var responses = await _namespace.BroadcastWithAckAsync(eventName, args, Options, CancellationToken.None).ConfigureAwait(false);
        var results = new T?[responses.Count];
        for (var i = 0; i < results.Length; i++) results[i] = responses[i].Get<T>(0);
        return results;
    }

    /// <summary>Emits an event to every targeted socket and returns each client's acknowledgement arguments.</summary>
    public Task<IReadOnlyList<SocketIoArguments>> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        _namespace.BroadcastWithAckAsync(eventName, args, Options, cancellationToken);

    /// <summary>The targeted sockets, on every node of the cluster (with <see cref="Local"/>, on this node).</summary>
    public ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        _namespace.Adapter.FetchSocketsAsync(Options, cancellationToken);

    /// <summary>Makes the targeted sockets join <paramref name="rooms"/>, without waiting for the other nodes (failures are logged).</summary>
    public void SocketsJoin(params string[] rooms) => _namespace.Forget(_namespace.Adapter.AddSocketsAsync(Options, rooms), "socketsJoin");

    /// <summary>Makes the targeted sockets join <paramref name="rooms"/>; completes once the request has gone to the other nodes.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => _namespace.Adapter.AddSocketsAsync(Options, rooms).AsTask();

    /// <summary>Makes the targeted sockets leave <paramref name="rooms"/>, without waiting for the other nodes (failures are logged).</summary>
    public void SocketsLeave(params string[] rooms) => _namespace.Forget(_namespace.Adapter.DeleteSocketsAsync(Options, rooms), "socketsLeave");

    /// <summary>Makes the targeted sockets leave <paramref name="rooms"/>; completes once the request has gone to the other nodes.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => _namespace.Adapter.DeleteSocketsAsync(Options, rooms).AsTask();

    /// <summary>Disconnects the targeted sockets; with <paramref name="close"/>, closes their whole connection (without waiting for the other nodes).</summary>
    public void DisconnectSockets(bool close = false) => _namespace.Forget(_namespace.Adapter.DisconnectSocketsAsync(Options, close), "disconnectSockets");

    /// <summary>Disconnects the targeted sockets; completes once the request has gone to the other nodes.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => _namespace.Adapter.DisconnectSocketsAsync(Options, close).AsTask();

    internal static BroadcastOperator Create(SocketIoNamespace @namespace, ImmutableHashSet<string>? except = null) =>
        new(@namespace, except is null ? BroadcastOptions.Everyone : BroadcastOptions.Everyone with { Except = except });
}
