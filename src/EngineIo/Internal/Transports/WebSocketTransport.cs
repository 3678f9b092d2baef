using System.Buffers;
using System.Net.WebSockets;
using EngineIo.Internal.Direct;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace EngineIo.Internal.Transports;

/// <summary>
/// WebSocket: each packet is one frame. One receive loop runs in the upgraded request; writes are serialized by a
/// semaphore, because a WebSocket allows one send at a time and the close handshake is a send too.
/// </summary>
internal sealed partial class WebSocketTransport : EngineTransport, IThreadPoolWorkItem
{
    private const int InitialReceiveBufferSize = 4096;

    // How long our close handshake may wait for the client before the connection is dropped.
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    // What carries the WebSocket: the Kestrel ConnectionContext (direct WebSockets) or the upgraded HttpContext.
    // Aborting the WebSocket alone leaves the TCP connection to Kestrel, which keeps trying to flush what is
    // buffered for a client that does not read; aborting this closes it at once.
    private readonly object? _connection;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    // Set by our close: drops the connection if the client has not answered our close frame in time.
    private ITimer? _closeDeadline;
    private int _requestEnded;
    private readonly int _compressionThreshold;
    private readonly bool _isV3;
    // Protocol v3 only: binary messages go out as base64 text frames for a client that asked for it with b64=1.
    private readonly bool _base64Only;
    private int _shutdownStarted;
    private Task _closeTask = Task.CompletedTask;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    // The batch a deferred write will start with. The session hands over one batch at a time (a writer owns the
    // transport until it reports the batch written), so one field is enough and the work item is this object.
    private List<OutgoingPacket>? _deferredBatch;

    public WebSocketTransport(EngineSession session, WebSocket socket, bool base64Only, object? connection = null)
        : base(session)
    {
        _socket = socket;
        _connection = connection;
        _isV3 = session.ProtocolVersion == 3;
        _base64Only = _isV3 && base64Only;
        // permessage-deflate applies only when negotiated; below the threshold, frames go uncompressed.
        _compressionThreshold = session.Options.PerMessageDeflate?.Threshold ?? int.MaxValue;
        IsWritable = true;
    }

    public override string Name => "websocket";

    public override EngineIoTransports Kind => EngineIoTransports.WebSocket;

    public override bool CanContinueWriting => true;

    public override void Send(List<OutgoingPacket> batch) => _ = WriteAsync(batch);

    public override void SendDeferred(List<OutgoingPacket> batch)
    {
        _deferredBatch = batch;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        var batch = _deferredBatch;
        _deferredBatch = null;
        _ = WriteAsync(batch);
    }

    /// <summary>Writes a packet outside the session's buffer: used for the probe answer before the upgrade completes.</summary>
    public void SendDirect(EngineMessage message) => _ = WriteAsync([new OutgoingPacket(message, Compress: false)], report: false);

    private async Task WriteAsync(List<OutgoingPacket>? batch, bool report = true)
    {
        try
        {
            while (batch is not null)
            {
                await _sendLock.WaitAsync().ConfigureAwait(false);
                try
                {
                    foreach (var packet in batch)
                    {
                        // Progress is a frame handed over: the heartbeat closes a session whose write stalls (WriteStalledSince).
                        OnWriteProgress();
                        await SendFrameAsync(packet).ConfigureAwait(false);
                    }
                }
                finally
                {
                    OnWriteIdle();
                    _sendLock.Release();
                }
                batch = report ? Session.OnBatchWritten(this, batch) : null;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Log.WriteFailed(Session.Logger, Session.Id, ex.Message);
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "write error");
        }
    }

    private ValueTask SendFrameAsync(OutgoingPacket packet)
    {
        var message = packet.Message;
        var (frame, type) = message.IsBinary switch
        {
            false => (message.WebSocketFrame, WebSocketMessageType.Text),
            true when !_isV3 => (message.WebSocketFrame, WebSocketMessageType.Binary),
            true when _base64Only => (message.Base64PacketV3, WebSocketMessageType.Text),
            true => (message.BinaryFrameV3, WebSocketMessageType.Binary),
        };
        var flags = WebSocketMessageFlags.EndOfMessage;
        if (!packet.Compress || frame.Length < _compressionThreshold) flags |= WebSocketMessageFlags.DisableCompression;
        return _socket.SendAsync(frame, type, flags, CancellationToken.None);
    }

    public override void Discard()
    {
        // A WebSocket is never replaced by another transport.
    }

    public override void Shutdown(EngineCloseReason reason)
    {
        if (Interlocked.Exchange(ref _shutdownStarted, 1) == 1) return;
        if (reason == EngineCloseReason.ServerShutdown) _closeStatus = WebSocketCloseStatus.EndpointUnavailable;
        if (reason == EngineCloseReason.SlowConsumer)
        {
            // A client that does not read would never see a close frame queued behind what it has not read.
            AbortConnection();
            return;
        }
        _closeTask = CloseAsync();
    }

    /// <summary>
    /// The close deadline's callback, on a timer thread. It may run after the request ended: a Shutdown that races the
    /// end of RunAsync creates the timer after RunAsync disposed it, and a callback already queued outlives Dispose.
    /// </summary>
    internal void OnCloseDeadline() => AbortConnection();

    /// <summary>Ends the WebSocket and the connection under it at once, dropping whatever is still unsent.</summary>
    private void AbortConnection()
    {
        // Once RunAsync has returned, the request, its HttpContext and the connection are Kestrel's again (pooled,
        // possibly serving another request): a close deadline or a slow-consumer close that comes late must not
        // touch them. Aborting a disposed HttpContext throws, and on a timer thread that ends the process.
        if (Volatile.Read(ref _requestEnded) == 1) return;
        try
        {
            _socket.Abort();
            switch (_connection)
            {
                case ConnectionContext connection:
                    connection.Abort(new ConnectionAbortedException("The Engine.IO session closed."));
                    break;
                case Microsoft.AspNetCore.Http.HttpContext context:
                    context.Abort();
                    break;
            }
        }
        catch (ObjectDisposedException)
        {
            // The request ended between the check above and the abort: there is nothing left to abort.
        }
    }

    private async Task CloseAsync()
    {
        // Whatever happens, the receive loop must not wait for the client forever: aborting the socket ends its
        // pending read (which is what a cancelled read token would do, without a token source held by every
        // connection that is never closed by us).
        _closeDeadline = TimeProvider.System.CreateTimer(static state => ((WebSocketTransport)state!).OnCloseDeadline(), this, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(_closeStatus, null, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is already broken, or a write to it is stuck: closing it is all that was wanted.
            AbortConnection();
        }
    }

    /// <summary>
    /// Reads frames until the connection ends. Runs inside the upgraded HTTP request, which must not complete before.
    /// </summary>
    public async Task RunAsync()
    {
        // No cancellation token: our own close ends the read by aborting the socket (see CloseAsync), and a
        // connection that Kestrel aborts fails the read anyway. A token source, linked or not, would be one more
        // object and one more registration held by every idle connection.
        var max = Session.Options.MaxHttpBufferSize;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Wait for the next frame without holding a buffer: most connections are idle most of the time, and a
                // buffer per idle connection would be most of its memory. The buffer is rented only once data is there.
                if (_socket is PipeWebSocket pipe) pipe.EndWait(await pipe.WaitAsync().ConfigureAwait(false));
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Session.OnTransportClosed(this, EngineCloseReason.TransportClose, "transport close");
                    return;
                }

                buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
                var length = 0;
                while (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, max + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Session.OnTransportClosed(this, EngineCloseReason.TransportClose, "transport close");
                        return;
                    }
                    length += result.Count;
                    if (length > max)
                    {
                        // Counted while it streams in (and while it inflates, with permessage-deflate): never held whole.
                        Log.MessageTooLarge(Session.Logger, Session.Id, max);
                        _closeStatus = WebSocketCloseStatus.MessageTooBig;
                        Session.OnTransportClosed(this, EngineCloseReason.TransportError, "message too large");
                        return;
                    }
                }

                if (!TryDecodeFrame(buffer.AsMemory(0, length), result.MessageType == WebSocketMessageType.Binary, out var packet))
                {
                    Log.InvalidPacket(Session.Logger, Session.Id);
                    Session.OnTransportClosed(this, EngineCloseReason.ParseError, "parse error");
                    return;
                }

                await Session.OnPacketAsync(this, packet).ConfigureAwait(false);

                // The layer above is done with the packet's memory (it copies what it keeps).
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }
        }
        catch (OperationCanceledException)
        {
            // Our own shutdown gave up waiting for the client's close frame, or Kestrel aborted the connection.
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "transport error");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ConnectionResetException or ObjectDisposedException)
        {
            Log.ReceiveFailed(Session.Logger, Session.Id, ex.Message);
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "transport error");
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            // Let our close frame go out before the request (and with it the connection) ends.
            Shutdown(EngineCloseReason.TransportClose);
            await _closeTask.ConfigureAwait(false);
            _closeDeadline?.Dispose();
            // Our close frame never went out (the connection broke, or a write to it is stuck): nothing says the client
            // will read what is still buffered for it, so the connection is dropped rather than left to a flush that
            // may never end. Once the close frame is out, Kestrel closes the connection gracefully.
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.CloseSent)) AbortConnection();
            Volatile.Write(ref _requestEnded, 1);
            _socket.Dispose();
        }
    }

    private bool TryDecodeFrame(Memory<byte> frame, bool isBinary, out IncomingPacket packet)
    {
        if (!_isV3)
        {
            if (!isBinary) return PacketDecoder.TryDecodeText(frame, out packet);
            packet = PacketDecoder.FromBinaryFrame(frame);
            return true;
        }
        return isBinary ? PacketDecoder.TryDecodeBinaryV3(frame, out packet) : PacketDecoder.TryDecodeTextV3(frame, out packet);
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "Session {Sid}: WebSocket message over the {Limit}-byte limit; closing.", EventName = "MessageTooLarge")]
        public static partial void MessageTooLarge(ILogger logger, string sid, long limit);

        [LoggerMessage(31, LogLevel.Information, "Session {Sid}: malformed WebSocket packet; closing.", EventName = "InvalidPacket")]
        public static partial void InvalidPacket(ILogger logger, string sid);

        [LoggerMessage(32, LogLevel.Debug, "Session {Sid}: WebSocket receive failed: {Error}", EventName = "ReceiveFailed")]
        public static partial void ReceiveFailed(ILogger logger, string sid, string error);

        [LoggerMessage(33, LogLevel.Debug, "Session {Sid}: WebSocket write failed: {Error}", EventName = "WriteFailed")]
        public static partial void WriteFailed(ILogger logger, string sid, string error);
    }
}
