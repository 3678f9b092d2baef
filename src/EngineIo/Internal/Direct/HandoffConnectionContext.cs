using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EngineIo.Internal.Direct;

/// <summary>
/// The connection as Kestrel's HTTP stack sees it while it answers one handed-off handshake (see
/// <see cref="DirectWebSocketMiddleware"/>): its own pipes, and its own lifetime features. Kestrel's HTTP connection
/// registers callbacks on the connection (completion, heartbeat, close notifications) that would otherwise keep the whole
/// HTTP stack's state alive, and ticking, until the connection ends, long after the request did.
/// </summary>
internal sealed class HandoffConnectionContext : ConnectionContext, IConnectionCompleteFeature, IConnectionLifetimeFeature,
    IConnectionLifetimeNotificationFeature, IConnectionHeartbeatFeature, IConnectionTransportFeature
{
    private readonly ConnectionContext _connection;
    private readonly WebSocketHandoff _handoff;
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationTokenSource _closeRequested = new();
    private readonly CancellationTokenRegistration _realClosed;
    private List<(Func<object, Task> Callback, object State)>? _onCompleted;

    public HandoffConnectionContext(ConnectionContext connection, IDuplexPipe transport, WebSocketHandoff handoff)
    {
        _connection = connection;
        _handoff = handoff;
        Transport = transport;
        var features = new FeatureCollection(connection.Features);
        features.Set<IConnectionCompleteFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<IConnectionLifetimeNotificationFeature>(this);
        features.Set<IConnectionHeartbeatFeature>(this);
        // The HTTP side must see its own pipes wherever it looks for them, never the connection's.
        features.Set<IConnectionTransportFeature>(this);
        features.Set(handoff);
        Features = features;
        // The connection ending while the pipeline still works on its handshake ends the HTTP side's view of it too (as
        // far as Kestrel notices: a client's FIN alone is not noticed while nothing reads, as on the plain path).
        // The token source keeps its (emptied) registration table for the connection's life, 144 B per WebSocket.
        // Watching the connection's input instead saved those bytes but added about 350 B of garbage per handshake
        // (its own token source and state machine), and the idle RSS per connection measured worse (bench S1, 15
        // repetitions each: median 14.1 against 13.3 KB): the GC's committed space follows the handshakes' garbage.
        _realClosed = connection.ConnectionClosed.UnsafeRegister(static state => ((HandoffConnectionContext)state!).CloseQuietly(), this);
    }

    private void CloseQuietly()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The HTTP side was over already.
        }
    }

    public override string ConnectionId
    {
        get => _connection.ConnectionId;
        set => _connection.ConnectionId = value;
    }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _connection.Items;
        set => _connection.Items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override EndPoint? LocalEndPoint
    {
        get => _connection.LocalEndPoint;
        set => _connection.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _connection.RemoteEndPoint;
        set => _connection.RemoteEndPoint = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException();
    }

    public CancellationToken ConnectionClosedRequested
    {
        get => _closeRequested.Token;
        set => throw new NotSupportedException();
    }

    /// <summary>An abort before the handshake was handed over ends the connection; after, the session owns it.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (_handoff.IsOpen) _connection.Abort(abortReason);
        CloseQuietly();
    }

    public void RequestClose() => _closeRequested.Cancel();

    // The HTTP stack's timeouts are not ticked: it has one request, already read, to answer.
    public void OnHeartbeat(Action<object> action, object state)
    {
    }

    public void OnCompleted(Func<object, Task> callback, object state) => (_onCompleted ??= []).Add((callback, state));

    /// <summary>Ends the HTTP stack's view of the connection: runs its completion callbacks and releases its registrations.</summary>
    public async ValueTask CompleteAsync()
    {
        await _realClosed.DisposeAsync().ConfigureAwait(false);
        _closed.Cancel();
        if (_onCompleted is { } callbacks)
        {
            _onCompleted = null;
            for (var i = callbacks.Count - 1; i >= 0; i--)
            {
                try
                {
                    await callbacks[i].Callback(callbacks[i].State).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Kestrel's own clean-up of the HTTP connection: nothing of ours to handle.
                }
            }
        }
        _closed.Dispose();
        _closeRequested.Dispose();
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
