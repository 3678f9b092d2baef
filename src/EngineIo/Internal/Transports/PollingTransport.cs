using System.Buffers;
using System.IO.Compression;
using EngineIo.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace EngineIo.Internal.Transports;

/// <summary>
/// HTTP long-polling: the client's GET waits until the session has packets for it; its POSTs carry packets in. At
/// most one GET and one POST may be in flight; a second one is a protocol error that closes the session.
/// </summary>
internal sealed partial class PollingTransport : EngineTransport
{
    private const int InitialBodyBufferSize = 4096;

    // Protocol v3 only: whether the client can read binary payloads (it did not ask for base64 with b64=1).
    private readonly bool _binaryPayloads;

    // Guarded by the session's lock.
    private PendingPoll? _poll;
    private bool _dataRequestInFlight;
    private bool _released;
    // While a POST's packets are handled and until its "ok" is out, a batch for the waiting GET is held back here:
    // what the handling produced (a Socket.IO CONNECT reply) must not reach the client before the answer to the POST
    // that caused it. A client that reads the reply first acts on it while it still cannot write (see issue 12).
    private bool _holdingForData;
    private List<OutgoingPacket>? _heldBatch;

    public PollingTransport(EngineSession session, bool base64Only)
        : base(session)
    {
        _binaryPayloads = session.ProtocolVersion == 3 && !base64Only;
    }

    public override string Name => "polling";

    public override EngineIoTransports Kind => EngineIoTransports.Polling;

    public override bool CanContinueWriting => false;

    public Task HandleRequestAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method)) return HandlePollAsync(context);
        if (HttpMethods.IsPost(context.Request.Method)) return HandleDataAsync(context);
        return EngineResponses.WriteErrorAsync(context, EngineErrorCode.BadRequest);
    }

    public override void Send(List<OutgoingPacket> batch)
    {
        PendingPoll? poll;
        lock (Session.SyncRoot)
        {
            poll = _poll;
            if (_holdingForData && poll is not null)
            {
                // The transport stays unwritable meanwhile, so this is the only batch that can be held.
                _heldBatch = batch;
                return;
            }
        }
        poll?.Complete(batch);
    }

    /// <summary>Whether a batch waits for a POST's answer before it goes out on the waiting GET (for tests).</summary>
    internal bool IsHoldingBatch
    {
        get
        {
            lock (Session.SyncRoot) return _heldBatch is not null;
        }
    }

    /// <summary>Answers a waiting GET with a noop, so the client can pause polling during an upgrade.</summary>
    public void SendNoopIfWaiting() => Release(ControlPackets.Noop, markReleased: false);

    public override void Discard() => Release(ControlPackets.Noop, markReleased: true);

    public override void Shutdown(EngineCloseReason reason)
    {
        bool pollInFlight;
        lock (Session.SyncRoot) pollInFlight = _poll is not null;
        if (reason == EngineCloseReason.TransportClose && !pollInFlight) Session.Server.RememberClientClose(Session.Id);
        // When the client itself asked to close, a waiting GET just ends; otherwise it carries the close packet.
        Release(reason == EngineCloseReason.TransportClose ? ControlPackets.Noop : ControlPackets.Close, markReleased: true);
    }

    /// <summary>Answers a GET with a lone noop packet, framed for the protocol revision of the request.</summary>
    public static Task WriteNoopAsync(HttpContext context, int protocol)
    {
        var payload = protocol == 3 ? "1:6"u8.ToArray() : "6"u8.ToArray();
        StartPayloadResponse(context, isBinary: false);
        context.Response.ContentLength = payload.Length;
        return context.Response.Body.WriteAsync(payload, context.RequestAborted).AsTask();
    }

    private void Release(EngineMessage packet, bool markReleased)
    {
        PendingPoll? poll = null;
        lock (Session.SyncRoot)
        {
            if (markReleased) _released = true;
            if (IsWritable)
            {
                IsWritable = false;
                poll = _poll;
            }
        }
        poll?.Complete([new OutgoingPacket(packet, Compress: false)]);
    }

    private async Task HandlePollAsync(HttpContext context)
    {
        var poll = new PendingPoll();
        bool overlap = false, released = false;
        lock (Session.SyncRoot)
        {
            if (_released) released = true;
            else if (_poll is not null) overlap = true;
            else
            {
                _poll = poll;
                IsWritable = true;
            }
        }

        if (released)
        {
            // The session moved to WebSocket between the lookup and now.
            await EngineResponses.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
            return;
        }

        if (overlap)
        {
            Log.PollOverlap(Session.Logger, Session.Id);
            await EngineResponses.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "overlap from client");
            return;
        }

        Session.Flush();
        // Mid-upgrade, a GET with nothing to carry is answered with a noop now rather than on the next tick of the
        // session's noop timer: the client's upgrade waits for it.
        if (Session.IsAwaitingUpgrade) SendNoopIfWaiting();

        List<OutgoingPacket> batch;
        try
        {
            batch = await poll.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away while its GET was waiting: the session has lost its way back.
            ForgetPoll(poll);
            Log.PollAborted(Session.Logger, Session.Id);
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "poll connection closed prematurely");
            return;
        }

        // The poll is answered: forget it now, not once the write completes. The client may have read the whole
        // payload and sent its next GET (on another connection) before the write's continuation runs, and that
        // GET must not be taken for an overlapping one.
        ForgetPoll(poll);
        try
        {
            OnWriteProgress();
            await WritePayloadAsync(context, batch).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "poll write failed");
            return;
        }
        finally
        {
            OnWriteIdle();
        }

        Session.OnBatchWritten(this, batch);
    }

    private void ForgetPoll(PendingPoll poll)
    {
        lock (Session.SyncRoot)
        {
            if (!ReferenceEquals(_poll, poll)) return;
            _poll = null;
            IsWritable = false;
        }
    }

    private async Task WritePayloadAsync(HttpContext context, List<OutgoingPacket> batch)
    {
        var format = Session.ProtocolVersion != 3 ? PayloadFormat.TextV4
            : _binaryPayloads && PayloadEncoderV3.NeedsBinaryPayload(batch) ? PayloadFormat.BinaryV3
            : PayloadFormat.TextV3;
        var length = format switch
        {
            PayloadFormat.TextV3 => PayloadEncoderV3.GetTextLength(batch),
            PayloadFormat.BinaryV3 => PayloadEncoderV3.GetBinaryLength(batch),
            _ => PayloadEncoder.GetLength(batch),
        };
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            switch (format)
            {
                case PayloadFormat.TextV3: PayloadEncoderV3.EncodeText(batch, buffer); break;
                case PayloadFormat.BinaryV3: PayloadEncoderV3.EncodeBinary(batch, buffer); break;
                default: PayloadEncoder.Encode(batch, buffer); break;
            }
            var response = context.Response;
            StartPayloadResponse(context, isBinary: format == PayloadFormat.BinaryV3);

            var encoding = ChooseCompression(context, batch, length);
            if (encoding is null)
            {
                response.ContentLength = length;
                await response.Body.WriteAsync(buffer.AsMemory(0, length), context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                var compressed = Compress(buffer.AsSpan(0, length), encoding);
                response.Headers.ContentEncoding = encoding;
                response.ContentLength = compressed.Length;
                await response.Body.WriteAsync(compressed, context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The status and headers of every answer to a GET that carries packets.</summary>
    private static void StartPayloadResponse(HttpContext context, bool isBinary)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        // An explicit charset: pages not served as UTF-8 would otherwise misread the payload.
        context.Response.ContentType = isBinary ? "application/octet-stream" : "text/plain; charset=UTF-8";
        EngineResponses.AddPollingHeaders(context);
    }

    private string? ChooseCompression(HttpContext context, List<OutgoingPacket> batch, int length)
    {
        var options = Session.Options.HttpCompression;
        if (options is null || length < options.Threshold) return null;

        var anyCompressible = false;
        foreach (var packet in batch) anyCompressible |= packet.Compress;
        if (!anyCompressible) return null;

        // The reference offers gzip first, then deflate, honouring the client's q-values.
        double gzip = -1, deflate = -1;
        foreach (var value in context.Request.GetTypedHeaders().AcceptEncoding)
        {
            var quality = value.Quality ?? 1;
            if (value.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase)) gzip = quality;
            else if (value.Value.Equals("deflate", StringComparison.OrdinalIgnoreCase)) deflate = quality;
            else if (value.Value.Equals("*", StringComparison.Ordinal))
            {
                if (gzip < 0) gzip = quality;
                if (deflate < 0) deflate = quality;
            }
        }
        if (gzip > 0 && gzip >= deflate) return "gzip";
        if (deflate > 0) return "deflate";
        return null;
    }

    private static byte[] Compress(ReadOnlySpan<byte> data, string encoding)
    {
        using var output = new MemoryStream(data.Length / 2 + 64);
        // HTTP "deflate" is the zlib format (RFC 1950), which is what Node's createDeflate produces.
        using (Stream compressor = encoding == "gzip"
                   ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)
                   : new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    private async Task HandleDataAsync(HttpContext context)
    {
        bool overlap;
        lock (Session.SyncRoot)
        {
            overlap = _dataRequestInFlight;
            _dataRequestInFlight = true;
        }

        if (overlap)
        {
            Log.DataOverlap(Session.Logger, Session.Id);
            await EngineResponses.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "data request overlap from client");
            return;
        }

        byte[]? body = null;
        bool released = false, holding = false;
        try
        {
            var isBinary = string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase);
            if (isBinary && Session.ProtocolVersion >= 4)
            {
                Log.BinaryContentRefused(Session.Logger, Session.Id);
                await EngineResponses.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
                Session.OnTransportClosed(this, EngineCloseReason.TransportError, "invalid content");
                return;
            }

            var (buffer, length, outcome) = await ReadBodyAsync(context).ConfigureAwait(false);
            body = buffer;
            if (outcome == BodyOutcome.TooLarge)
            {
                Log.PayloadTooLarge(Session.Logger, Session.Id, Session.Options.MaxHttpBufferSize);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                Session.OnTransportClosed(this, EngineCloseReason.TransportError, "payload too large");
                return;
            }
            if (outcome == BodyOutcome.Aborted)
            {
                // A body that stopped coming (Kestrel's minimum data rate gave up on it) while the client is still
                // there: 408, as the reference answers a request that timed out, never an empty 200 that reads as "ok".
                if (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
                    context.Response.StatusCode = StatusCodes.Status408RequestTimeout;
                Session.OnTransportClosed(this, EngineCloseReason.TransportError, "data request connection closed prematurely");
                return;
            }

            var packets = new List<IncomingPacket>();
            var payload = body.AsMemory(0, length);
            var decoded = Session.ProtocolVersion != 3 ? PayloadDecoder.TryDecode(payload, packets)
                : isBinary ? PayloadDecoderV3.TryDecodeBinary(payload, packets)
                : PayloadDecoderV3.TryDecodeText(payload, packets);
            if (!decoded)
            {
                Log.InvalidPayload(Session.Logger, Session.Id);
                await EngineResponses.WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
                Session.OnTransportClosed(this, EngineCloseReason.ParseError, "parse error");
                return;
            }

            // The packets are handled before the answer, as the reference does (a client's next POST must not be
            // handled beside this one), but what they produce waits for the answer to leave first.
            lock (Session.SyncRoot) _holdingForData = true;
            holding = true;
            foreach (var packet in packets)
            {
                var handling = Session.OnPacketAsync(this, packet);
                if (!handling.IsCompleted && holding)
                {
                    // A handler that awaits must not keep the session's output (pings included) back for as long as
                    // it takes: what it produced so far goes out now, and nothing more of this payload's is held.
                    holding = false;
                    SendHeldBatch();
                }
                await handling.ConfigureAwait(false);
            }

            // The request is done before its answer leaves: a client sends its next POST as soon as it reads "ok"
            // (maybe on another connection), and that POST must not be taken for an overlapping one.
            lock (Session.SyncRoot) _dataRequestInFlight = false;
            released = true;

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            // text/html rather than text/plain: some user agents offer to download a text/plain answer.
            response.ContentType = "text/html";
            response.ContentLength = 2;
            EngineResponses.AddPollingHeaders(context);
            await response.Body.WriteAsync("ok"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            // Complete, not only written: over HTTP/2 the client has its answer once the stream ends.
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            Session.OnTransportClosed(this, EngineCloseReason.TransportError, "data request connection closed prematurely");
        }
        finally
        {
            if (body is { Length: > 0 }) ArrayPool<byte>.Shared.Return(body);
            if (!released)
            {
                lock (Session.SyncRoot) _dataRequestInFlight = false;
            }
            if (holding) SendHeldBatch();
        }
    }

    /// <summary>The POST is answered (or failed): what its packets produced goes out on the waiting GET now.</summary>
    private void SendHeldBatch()
    {
        List<OutgoingPacket>? batch;
        PendingPoll? poll;
        lock (Session.SyncRoot)
        {
            _holdingForData = false;
            batch = _heldBatch;
            _heldBatch = null;
            // No poll any more: its client went away and the session is closing, so the batch has nowhere to go.
            poll = _poll;
        }
        if (batch is not null) poll?.Complete(batch);
    }

    /// <summary>How a batch is laid out in a response body.</summary>
    private enum PayloadFormat
    {
        TextV4,
        TextV3,
        BinaryV3,
    }

    private enum BodyOutcome
    {
        Complete,
        TooLarge,
        Aborted,
    }

    /// <summary>Reads the POST body into a pooled buffer, counting as it streams, and stops at the limit.</summary>
    private async Task<(byte[] Buffer, int Length, BodyOutcome Outcome)> ReadBodyAsync(HttpContext context)
    {
        var max = Session.Options.MaxHttpBufferSize;
        var declared = context.Request.ContentLength;
        if (declared > max) return ([], 0, BodyOutcome.TooLarge);

        // Our own limit is the one that counts; Kestrel's default (30 MB) must not cut in first.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = null;

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? InitialBodyBufferSize, max));
        var length = 0;
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                var data = result.Buffer;
                if (length + data.Length > max)
                {
                    reader.AdvanceTo(data.End);
                    return (buffer, length, BodyOutcome.TooLarge);
                }
                if (length + data.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(buffer.Length * 2L, length + data.Length), max));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted || result.IsCanceled) return (buffer, length, BodyOutcome.Complete);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return (buffer, length, BodyOutcome.Aborted);
        }
    }

    /// <summary>A GET waiting for packets.</summary>
    private sealed class PendingPoll
    {
        private readonly TaskCompletionSource<List<OutgoingPacket>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<List<OutgoingPacket>> Task => _completion.Task;

        public void Complete(List<OutgoingPacket> batch) => _completion.TrySetResult(batch);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "Session {Sid}: a second GET arrived while one was pending; closing.", EventName = "PollOverlap")]
        public static partial void PollOverlap(ILogger logger, string sid);

        [LoggerMessage(21, LogLevel.Information, "Session {Sid}: a second POST arrived while one was in flight; closing.", EventName = "DataOverlap")]
        public static partial void DataOverlap(ILogger logger, string sid);

        [LoggerMessage(22, LogLevel.Information, "Session {Sid}: POST body over the {Limit}-byte limit; closing.", EventName = "PayloadTooLarge")]
        public static partial void PayloadTooLarge(ILogger logger, string sid, long limit);

        [LoggerMessage(23, LogLevel.Information, "Session {Sid}: malformed polling payload; closing.", EventName = "InvalidPayload")]
        public static partial void InvalidPayload(ILogger logger, string sid);

        [LoggerMessage(24, LogLevel.Information, "Session {Sid}: binary POST body under protocol 4; closing.", EventName = "BinaryContentRefused")]
        public static partial void BinaryContentRefused(ILogger logger, string sid);

        [LoggerMessage(25, LogLevel.Debug, "Session {Sid}: the client went away during a poll.", EventName = "PollAborted")]
        public static partial void PollAborted(ILogger logger, string sid);
    }
}
