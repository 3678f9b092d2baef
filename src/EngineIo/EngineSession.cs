using EngineIo.Internal;
using EngineIo.Internal.Transports;
using Microsoft.Extensions.Logging;

namespace EngineIo;

/// <summary>
/// One Engine.IO session: a client identified by its session id, reached through its current transport (polling or
/// WebSocket), which may change once through an upgrade. Thread-safe: <see cref="Send(EngineMessage, bool)"/> and <see cref="Close()"/> may
/// be called from any thread.
/// </summary>
public sealed partial class EngineSession
{
    private enum SessionState
    {
        Open,
        Closing,
        Closed,
    }

    private const int MaxSpareBufferCapacity = 16;

    // How long a graceful close waits for the polling client to come and fetch its close packet.
    private static readonly TimeSpan PollingCloseTimeout = TimeSpan.FromSeconds(30);

    // How often a pending poll is released with a noop while a WebSocket probe waits for the upgrade packet.
    private static readonly TimeSpan UpgradeNoopInterval = TimeSpan.FromMilliseconds(100);

    private readonly EngineIoServer _server;
    private readonly EngineIoOptions _options;
    private readonly ILogger _logger;
    private readonly object _sync = new();

    // Everything below is guarded by _sync.
    private SessionState _state = SessionState.Open;
    private EngineTransport _transport = null!;
    private WebSocketTransport? _upgrading;
    private bool _upgraded;
    private List<OutgoingPacket> _writeBuffer = new();
    // Close() with packets still queued: the close packet waits until they are written, so that it travels in a
    // batch of its own (a polling client acts on a close packet before the packets beside it in the same payload).
    private bool _closePacketPending;
    // A written batch's list, handed back by the writer: the next batch is queued in it, so that a session that
    // sends a packet at a time does not allocate a list for each.
    private List<OutgoingPacket>? _spareBuffer;
    private bool _awaitingPong;
    // When the next ping is due (protocol 4), and the moment the session's silence becomes a ping timeout (protocol 4:
    // the due ping's time plus PingTimeout, while a pong is awaited; protocol 3: the last client ping plus
    // PingInterval + PingTimeout). Kept as times as well as timers: a timer callback can run late on a loaded
    // machine, and a request arriving after the deadline must find the session timed out, as it would on time.
    private DateTimeOffset _nextPingDue;
    private DateTimeOffset? _silenceDeadline;
    private ITimer? _heartbeatTimer;
    private ITimer? _upgradeTimer;
    private ITimer? _upgradeNoopTimer;
    private ITimer? _closeTimer;
    // The reason a graceful close ends with, once its close packet is out (or its client never came for it).
    private EngineCloseReason _closeReason = EngineCloseReason.ForcedClose;

    internal EngineSession(EngineIoServer server, string id, int protocol, EngineRequestInfo request)
    {
        _server = server;
        _options = server.Options;
        _logger = server.Logger;
        Id = id;
        ProtocolVersion = protocol;
        Request = request;
    }

    /// <summary>The session id (20 URL-safe characters from a cryptographic generator).</summary>
    public string Id { get; }

    /// <summary>The Engine.IO protocol revision the client speaks: 4, or 3 for old clients.</summary>
    public int ProtocolVersion { get; }

    /// <summary>The HTTP request that opened the session.</summary>
    public EngineRequestInfo Request { get; }

    /// <summary>The name of the current transport: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName
    {
        get
        {
            lock (_sync) return _transport.Name;
        }
    }

    /// <summary>
    /// Whether the current transport can take a packet right away (a poll is waiting, or the WebSocket is not busy
    /// writing). Volatile messages are dropped rather than queued when this is false.
    /// </summary>
    public bool IsWritable
    {
        get
        {
            lock (_sync) return _state == SessionState.Open && _transport.IsWritable;
        }
    }

    /// <summary>Whether the session is open (not closing or closed).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_sync) return _state == SessionState.Open;
        }
    }

    /// <summary>A slot for the layer above to attach its own per-session object (the Socket.IO layer keeps its client there).</summary>
    public object? State { get; set; }

    /// <summary>Raised when a client starts upgrading this session to another transport (the probe succeeded). The argument is the new transport's name.</summary>
    public event Action<EngineSession, string>? Upgrading;

    /// <summary>Raised when the session has switched to a new transport. The argument is the new transport's name.</summary>
    public event Action<EngineSession, string>? Upgraded;

    /// <summary>
    /// Queues a message. Packets of a session are written in the order they were queued, through one writer, and
    /// everything queued while the transport is busy goes out together (one polling payload, or back-to-back
    /// WebSocket frames). A message sent to a closing or closed session is dropped.
    /// </summary>
    /// <param name="message">The message; the same instance may be sent to many sessions.</param>
    /// <param name="compress">Whether the transport may compress it (above the configured thresholds).</param>
    public void Send(EngineMessage message, bool compress = true) => Send(message, compress, deferWrite: false);

    /// <summary>
    /// Queues a message; with <paramref name="deferWrite"/>, a write that can start now starts on the thread pool
    /// rather than on the caller's thread. A broadcast defers: it only queues to each recipient, and the socket
    /// writes of its many recipients run in parallel instead of one after the other on the broadcasting thread.
    /// </summary>
    internal void Send(EngineMessage message, bool compress, bool deferWrite)
    {
        ArgumentNullException.ThrowIfNull(message);
        List<OutgoingPacket>? batch;
        EngineTransport transport;
        lock (_sync)
        {
            if (_state != SessionState.Open) return;
            _writeBuffer.Add(new OutgoingPacket(message, compress));
            batch = TakeBatch(out transport);
        }
        if (batch is null) return;
        if (deferWrite) transport.SendDeferred(batch);
        else transport.Send(batch);
    }

    /// <summary>
    /// Closes the session: whatever is queued is still delivered, then a close packet on its own, then the transport
    /// is closed and the handler is told with <see cref="EngineCloseReason.ForcedClose"/>.
    /// </summary>
    public void Close() => Close(EngineCloseReason.ForcedClose);

    /// <summary>The orderly close of <see cref="Close()"/>, ending with <paramref name="reason"/>.</summary>
    internal void Close(EngineCloseReason reason)
    {
        lock (_sync)
        {
            if (_state != SessionState.Open) return;
            _state = SessionState.Closing;
            _closeReason = reason;
            if (_writeBuffer.Count == 0) _writeBuffer.Add(new OutgoingPacket(ControlPackets.Close, Compress: false));
            else _closePacketPending = true;
            // A polling client that never comes back for its close packet must not keep the session forever.
            _closeTimer = _server.TimeProvider.CreateTimer(
                static state =>
                {
                    var session = (EngineSession)state!;
                    session.CloseCore(session._closeReason, "close timeout");
                },
                this, PollingCloseTimeout, Timeout.InfiniteTimeSpan);
        }
        Flush();
    }

    internal object SyncRoot => _sync;

    internal EngineIoServer Server => _server;

    internal EngineIoOptions Options => _options;

    internal ILogger Logger => _logger;

    internal EngineTransport CurrentTransport
    {
        get
        {
            lock (_sync) return _transport;
        }
    }

    /// <summary>Starts the session on its first transport: queues the handshake and starts the heartbeat.</summary>
    internal void Open(EngineTransport transport, string handshakeJson)
    {
        lock (_sync)
        {
            _transport = transport;
            _writeBuffer.Add(new OutgoingPacket(EngineMessage.Create(EnginePacketType.Open, handshakeJson), Compress: false));
            if (_options.InitialPacket is { } initial) _writeBuffer.Add(new OutgoingPacket(initial, Compress: true));
            // Protocol 4: the server pings. Protocol 3: the client pings, and the server only watches the silence.
            var firstDeadline = ProtocolVersion == 3 ? _options.PingInterval + _options.PingTimeout : _options.PingInterval;
            var now = _server.TimeProvider.GetUtcNow();
            _nextPingDue = now + _options.PingInterval;
            if (ProtocolVersion == 3) _silenceDeadline = now + firstDeadline;
            _heartbeatTimer = _server.TimeProvider.CreateTimer(static state => ((EngineSession)state!).OnHeartbeatTimer(), this, firstDeadline, Timeout.InfiniteTimeSpan);
        }
        Log.SessionOpened(_logger, Id, transport.Name, ProtocolVersion);
    }

    /// <summary>Hands the write buffer to the current transport if it can take it now.</summary>
    internal void Flush()
    {
        List<OutgoingPacket>? batch;
        EngineTransport transport;
        lock (_sync) batch = TakeBatch(out transport);
        if (batch is not null) transport.Send(batch);
    }

    /// <summary>Takes what is queued if the current transport can take it now; null otherwise. Called under the lock.</summary>
    private List<OutgoingPacket>? TakeBatch(out EngineTransport transport)
    {
        transport = _transport;
        if (_state == SessionState.Closed || !transport.IsWritable || TakeQueued() is not { } batch) return null;
        // Taking the writable flag is what makes the transport's writer the only one: nothing else is handed to it
        // until it reports that the batch is written.
        transport.IsWritable = false;
        return batch;
    }

    // Keeps a written batch's list for the next batch, unless a burst made it large (an idle session keeps it).
    private void Recycle(List<OutgoingPacket> written)
    {
        if (written.Capacity > MaxSpareBufferCapacity) return;
        written.Clear();
        _spareBuffer = written;
    }

    /// <summary>
    /// The queued packets, or the pending close packet once nothing else is queued; null if there is nothing to
    /// write. Under the lock.
    /// </summary>
    private List<OutgoingPacket>? TakeQueued()
    {
        if (_writeBuffer.Count > 0)
        {
            var batch = _writeBuffer;
            _writeBuffer = _spareBuffer ?? new List<OutgoingPacket>();
            _spareBuffer = null;
            return batch;
        }
        if (!_closePacketPending) return null;
        _closePacketPending = false;
        return [new OutgoingPacket(ControlPackets.Close, Compress: false)];
    }

    /// <summary>
    /// Called by a transport's writer when a batch is written: returns the next batch to write, or marks the
    /// transport writable again and returns null. Also completes a graceful close once the close packet went out.
    /// </summary>
    internal List<OutgoingPacket>? OnBatchWritten(EngineTransport transport, List<OutgoingPacket> written)
    {
        var closePacketWritten = written.Count > 0 && ReferenceEquals(written[^1].Message, ControlPackets.Close);
        lock (_sync)
        {
            if (_state == SessionState.Closing && closePacketWritten)
            {
                // Fall through to the close below, outside the lock.
            }
            else if (_state == SessionState.Closed || !ReferenceEquals(transport, _transport))
            {
                return null;
            }
            else if (!transport.CanContinueWriting)
            {
                // Polling: the transport becomes writable again only when the client's next GET arrives.
                Recycle(written);
                return null;
            }
            else
            {
                // The written batch's list becomes the next buffer (or the spare one) either way.
                Recycle(written);
                if (TakeQueued() is { } next) return next;
                transport.IsWritable = true;
                return null;
            }
        }
        CloseCore(_closeReason, _closeReason == EngineCloseReason.ServerShutdown ? "server shutdown" : "forced close");
        return null;
    }

    /// <summary>Dispatches a packet that arrived on <paramref name="transport"/>.</summary>
    internal ValueTask OnPacketAsync(EngineTransport transport, in IncomingPacket packet)
    {
        EngineTransport current;
        WebSocketTransport? upgrading;
        SessionState state;
        lock (_sync)
        {
            current = _transport;
            upgrading = _upgrading;
            state = _state;
        }

        if (!ReferenceEquals(transport, current))
        {
            if (upgrading is not null && ReferenceEquals(transport, upgrading)) OnUpgradePacket(upgrading, packet);
            return ValueTask.CompletedTask;
        }

        if (state != SessionState.Open) return ValueTask.CompletedTask;

        switch (packet.Type)
        {
            case EnginePacketType.Message:
                return DeliverAsync(packet);
            case EnginePacketType.Pong when ProtocolVersion >= 4:
                OnPong();
                break;
            case EnginePacketType.Ping when ProtocolVersion == 3:
                OnClientPing(packet);
                break;
            case EnginePacketType.Ping or EnginePacketType.Pong:
                Log.InvalidHeartbeatDirection(_logger, Id);
                CloseCore(EngineCloseReason.TransportError, "invalid heartbeat direction");
                break;
            case EnginePacketType.Close:
                CloseCore(EngineCloseReason.TransportClose, "transport close");
                break;
            default:
                // open, upgrade and noop mean nothing on an established transport; the reference ignores them too.
                break;
        }
        return ValueTask.CompletedTask;
    }

    private async ValueTask DeliverAsync(IncomingPacket packet)
    {
        var handler = _server.Handler;
        try
        {
            if (packet.IsBinary) await handler.OnBinaryMessageAsync(this, packet.Data).ConfigureAwait(false);
            else await handler.OnTextMessageAsync(this, packet.Data).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug in the layer above must not take the transport loop (or other sessions) down with it.
            Log.HandlerFailed(_logger, Id, ex);
        }
    }

    private void OnPong()
    {
        lock (_sync)
        {
            if (_state == SessionState.Closed || !_awaitingPong) return;
            _awaitingPong = false;
            _silenceDeadline = null;
            _nextPingDue = _server.TimeProvider.GetUtcNow() + _options.PingInterval;
            _heartbeatTimer?.Change(_options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnClientPing(in IncomingPacket ping)
    {
        lock (_sync)
        {
            if (_state != SessionState.Open) return;
            _silenceDeadline = _server.TimeProvider.GetUtcNow() + _options.PingInterval + _options.PingTimeout;
            _heartbeatTimer?.Change(_options.PingInterval + _options.PingTimeout, Timeout.InfiniteTimeSpan);
            _writeBuffer.Add(new OutgoingPacket(ping.Data.IsEmpty ? ControlPackets.Pong : EngineMessage.Create(EnginePacketType.Pong, ping.Data.Span), Compress: false));
        }
        Flush();
    }

    private void OnHeartbeatTimer()
    {
        bool timedOut;
        lock (_sync)
        {
            if (_state == SessionState.Closed) return;
            timedOut = ProtocolVersion == 3 || _awaitingPong;
            if (!timedOut)
            {
                // A closing session's close packet must stay the last packet it sends: a ping queued behind it would
                // keep the session from completing its close when the packet goes out. Its close timer bounds it.
                if (_state == SessionState.Closing) return;
                _awaitingPong = true;
                _writeBuffer.Add(new OutgoingPacket(ControlPackets.Ping, Compress: false));
                // The timeout counts from when the ping was due, not from when this callback got to run.
                var deadline = _nextPingDue + _options.PingTimeout;
                _silenceDeadline = deadline;
                var remaining = deadline - _server.TimeProvider.GetUtcNow();
                _heartbeatTimer?.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        if (timedOut) CloseCore(EngineCloseReason.PingTimeout, "ping timeout");
        else Flush();
    }

    /// <summary>
    /// Ends the session with a ping timeout if its heartbeat deadline has passed, whether or not the timer has fired
    /// yet; true if the session is (now) closed. Called when a request for the session arrives.
    /// </summary>
    internal bool CloseIfHeartbeatOverdue()
    {
        lock (_sync)
        {
            if (_state == SessionState.Closed) return true;
            if (_silenceDeadline is not { } deadline || _server.TimeProvider.GetUtcNow() < deadline) return false;
        }
        CloseCore(EngineCloseReason.PingTimeout, "ping timeout");
        return true;
    }

    /// <summary>Registers a WebSocket that wants to take over this polling session. False if the session cannot upgrade now.</summary>
    internal bool TryBeginUpgrade(WebSocketTransport transport)
    {
        lock (_sync)
        {
            if (_state != SessionState.Open || _upgrading is not null || _upgraded || _transport is not PollingTransport || !_options.AllowUpgrades)
                return false;
            _upgrading = transport;
            _upgradeTimer = _server.TimeProvider.CreateTimer(
                static state =>
                {
                    var (session, ws) = ((EngineSession, WebSocketTransport))state!;
                    session.AbortUpgrade(ws, "upgrade timeout");
                },
                (this, transport), _options.UpgradeTimeout, Timeout.InfiniteTimeSpan);
        }
        Log.UpgradeStarted(_logger, Id);
        return true;
    }

    private void OnUpgradePacket(WebSocketTransport transport, in IncomingPacket packet)
    {
        if (packet.IsProbe)
        {
            transport.SendDirect(ControlPackets.PongProbe);
            lock (_sync)
            {
                if (!ReferenceEquals(_upgrading, transport)) return;
                // The client pauses polling before it sends the upgrade packet; it can only do so once its pending
                // GET returns, so keep releasing any GET that waits with nothing to send.
                _upgradeNoopTimer?.Dispose();
                _upgradeNoopTimer = _server.TimeProvider.CreateTimer(
                    static state => ((EngineSession)state!).ReleasePendingPoll(), this, TimeSpan.Zero, UpgradeNoopInterval);
            }
            RaiseEvent(Upgrading, transport.Name);
        }
        else if (packet.Type == EnginePacketType.Upgrade)
        {
            CompleteUpgrade(transport);
        }
        else
        {
            AbortUpgrade(transport, "invalid packet during upgrade");
        }
    }

    private void ReleasePendingPoll()
    {
        EngineTransport transport;
        lock (_sync)
        {
            if (_state == SessionState.Closed) return;
            transport = _transport;
        }
        (transport as PollingTransport)?.SendNoopIfWaiting();
    }

    private void CompleteUpgrade(WebSocketTransport transport)
    {
        EngineTransport previous;
        lock (_sync)
        {
            if (!ReferenceEquals(_upgrading, transport) || _state == SessionState.Closed) return;
            DisposeUpgradeTimers();
            previous = _transport;
            _transport = transport;
            _upgrading = null;
            _upgraded = true;
        }
        previous.Discard();
        _server.Metrics.Upgraded(transport.Name);
        Log.Upgraded(_logger, Id, transport.Name);
        RaiseEvent(Upgraded, transport.Name);
        Flush();
    }

    private void AbortUpgrade(WebSocketTransport transport, string reason)
    {
        lock (_sync)
        {
            if (!ReferenceEquals(_upgrading, transport)) return;
            _upgrading = null;
            DisposeUpgradeTimers();
        }
        Log.UpgradeFailed(_logger, Id, reason);
        transport.Shutdown(EngineCloseReason.TransportError);
    }

    private void DisposeUpgradeTimers()
    {
        _upgradeTimer?.Dispose();
        _upgradeTimer = null;
        _upgradeNoopTimer?.Dispose();
        _upgradeNoopTimer = null;
    }

    /// <summary>A transport failed or was closed by the client.</summary>
    internal void OnTransportClosed(EngineTransport transport, EngineCloseReason reason, string description)
    {
        WebSocketTransport? upgrading;
        EngineTransport current;
        lock (_sync)
        {
            upgrading = _upgrading;
            current = _transport;
        }
        if (ReferenceEquals(transport, current)) CloseCore(reason, description);
        else if (upgrading is not null && ReferenceEquals(transport, upgrading)) AbortUpgrade(upgrading, description);
    }

    /// <summary>
    /// The one way a session ends: marks it closed, stops its timers, closes its transports, removes it from the
    /// server and tells the handler, exactly once whatever path got here first.
    /// </summary>
    internal void CloseCore(EngineCloseReason reason, string? description)
    {
        EngineTransport transport;
        WebSocketTransport? upgrading;
        lock (_sync)
        {
            if (_state == SessionState.Closed) return;
            _state = SessionState.Closed;
            _heartbeatTimer?.Dispose();
            _closeTimer?.Dispose();
            DisposeUpgradeTimers();
            transport = _transport;
            upgrading = _upgrading;
            _upgrading = null;
            _writeBuffer.Clear();
        }

        try
        {
            transport.Shutdown(reason);
            upgrading?.Shutdown(reason);
        }
        finally
        {
            _server.Remove(this);
            _server.Metrics.SessionClosed(reason);
            Log.SessionClosed(_logger, Id, reason, description);
            try
            {
                _server.Handler.OnClosed(this, reason, description);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, Id, ex);
            }
        }
    }

    private void RaiseEvent(Action<EngineSession, string>? handler, string transportName)
    {
        try
        {
            handler?.Invoke(this, transportName);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Id, ex);
        }
    }
}
