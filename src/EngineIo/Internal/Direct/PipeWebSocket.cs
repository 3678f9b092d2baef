using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace EngineIo.Internal.Direct;

/// <summary>
/// The server side of a WebSocket (RFC 6455, no extension negotiated) read and written straight on a connection's
/// transport pipes, for the sessions that run on their connection (direct WebSockets and the handoff).
/// </summary>
/// <remarks>
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> over the pipes did the same job through
/// a stream adapter: every received frame went pipe, stream, the WebSocket's own buffer, then the caller's buffer, and
/// every sent frame was copied into a rented buffer before the pipe. Here a frame's payload is unmasked from the pipe
/// into the caller's buffer, a sent frame is written into the pipe's own memory, and an idle connection holds one
/// pending pipe read and this object (about 550 bytes less per connection than the stream adapter and the managed
/// WebSocket, whose state machines stay allocated while a read waits).
/// What the managed WebSocket does, this does too: client frames must be masked, reserved bits clear, control frames
/// final and short; a ping is answered with a pong; text messages are valid UTF-8 (checked as they stream in);
/// a protocol violation sends a close frame (1002, or 1007 for bad UTF-8) and fails the receive with a
/// <see cref="WebSocketException"/>; <see cref="Abort"/> ends a pending receive with an
/// <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed class PipeWebSocket : WebSocket
{
    private const int MaxControlPayload = 125;
    private const int MaxHeaderLength = 14;
    private const byte OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    // One frame at a time on the wire: the caller's sends, our pongs and close frames.
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private int _state = (int)WebSocketState.Open;
    private bool _closeSent;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeStatusDescription;
    private bool _disposed;

    // The data frame whose payload is being delivered.
    private bool _inFrame;
    private bool _frameFinal;
    private long _frameRemaining;
    private uint _mask;
    private int _maskOffset;
    // A message continues over frames until one is final.
    private bool _inMessage;
    private WebSocketMessageType _messageType;
    // The start of a UTF-8 sequence split between two reads of a text message (up to 3 bytes).
    private uint _utf8Pending;
    private int _utf8PendingCount;
    // Whether the last frame sent ended its message (the next one starts a message rather than continuing it).
    private bool _sendingFragmented;

    public PipeWebSocket(IDuplexPipe transport)
    {
        _input = transport.Input;
        _output = transport.Output;
    }

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _closeStatusDescription;

    public override WebSocketState State => (WebSocketState)Volatile.Read(ref _state);

    public override string? SubProtocol => null;

    // ---- Receiving --------------------------------------------------------------------------------------------

    /// <summary>
    /// Waits until bytes arrive, holding nothing but the pipe's own read (a zero-byte <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>
    /// that has to wait keeps its state machine while it does); pass the result to <see cref="EndWait"/>, then receive.
    /// </summary>
    public ValueTask<ReadResult> WaitAsync() => _input.ReadAsync();

    /// <summary>Ends <see cref="WaitAsync"/>: nothing is consumed, so the next receive reads at once what arrived.</summary>
    public void EndWait(ReadResult result)
    {
        _input.AdvanceTo(result.Buffer.Start);
        if (result.IsCanceled) throw new OperationCanceledException("The WebSocket was aborted.");
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        ReceiveAsSegmentAsync(buffer, cancellationToken);

    private async Task<WebSocketReceiveResult> ReceiveAsSegmentAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return result.MessageType == WebSocketMessageType.Close
            ? new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, _closeStatus, _closeStatusDescription)
            : new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    // Pooled: a receive that waits for its data (every message of a connection that is not busy) would otherwise
    // allocate its state machine each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (State is not (WebSocketState.Open or WebSocketState.CloseSent))
            throw new WebSocketException(WebSocketError.InvalidState, $"The WebSocket is {State}: nothing more can be received.");
        while (true)
        {
            var read = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCanceled)
            {
                _input.AdvanceTo(read.Buffer.Start);
                throw new OperationCanceledException("The WebSocket was aborted.");
            }
            var data = read.Buffer;
            ControlFrame control = default;
            var outcome = Parse(data, buffer.Span, read.IsCompleted, ref control, out var consumed, out var examined, out var result);
            _input.AdvanceTo(consumed, examined);
            switch (outcome)
            {
                case ParseOutcome.Result:
                    return result;
                case ParseOutcome.NeedMore:
                    continue;
                case ParseOutcome.Control when control.Opcode == OpPing:
                    await SendControlAsync(OpPong, control.Payload, control.Length).ConfigureAwait(false);
                    continue;
                case ParseOutcome.Control when control.Opcode == OpPong:
                    continue;
                case ParseOutcome.Control:
                    if (ReadClose(control) is { } invalid)
                        await FailAsync(invalid, "The client sent an invalid close frame.").ConfigureAwait(false);
                    Transition(WebSocketState.CloseReceived);
                    return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
                case ParseOutcome.EndOfInput:
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection ended without a close frame.");
                case ParseOutcome.InvalidUtf8:
                    await FailAsync(WebSocketCloseStatus.InvalidPayloadData, "A text message is not valid UTF-8.").ConfigureAwait(false);
                    break;
                default:
                    await FailAsync(WebSocketCloseStatus.ProtocolError, "The client broke the WebSocket protocol.").ConfigureAwait(false);
                    break;
            }
        }
    }

    private enum ParseOutcome { Result, NeedMore, Control, EndOfInput, ProtocolError, InvalidUtf8 }

    /// <summary>A control frame read whole (a ping, a pong or a close), its payload unmasked.</summary>
    private struct ControlFrame
    {
        public byte Opcode;
        public int Length;
        public byte[]? Payload;
    }

    /// <summary>
    /// Reads what <paramref name="data"/> holds: a frame header, a control frame, or payload of the current data
    /// frame into <paramref name="destination"/>. Synchronous, so that the spans never cross an await.
    /// </summary>
    private ParseOutcome Parse(ReadOnlySequence<byte> data, Span<byte> destination, bool inputEnded, ref ControlFrame control,
        out SequencePosition consumed, out SequencePosition examined, out ValueWebSocketReceiveResult result)
    {
        result = default;
        consumed = data.Start;
        examined = data.End;
        if (!_inFrame)
        {
            var header = ReadHeader(data, out var headerLength, out var opcode, out var final, out var length, out var mask);
            if (header == ParseOutcome.NeedMore) return inputEnded ? ParseOutcome.EndOfInput : ParseOutcome.NeedMore;
            if (header != ParseOutcome.Result) return header;

            if (opcode >= OpClose)
            {
                if (data.Length < headerLength + length) return inputEnded ? ParseOutcome.EndOfInput : ParseOutcome.NeedMore;
                control.Opcode = opcode;
                control.Length = (int)length;
                if (length > 0)
                {
                    control.Payload = new byte[length];
                    data.Slice(headerLength, length).CopyTo(control.Payload);
                    Unmask(control.Payload, mask, 0);
                }
                consumed = examined = data.GetPosition(headerLength + length);
                return ParseOutcome.Control;
            }

            // A continuation needs a message to continue; a new message may not start inside one.
            if ((opcode == OpContinuation) != _inMessage) return ParseOutcome.ProtocolError;
            if (opcode != OpContinuation)
            {
                _messageType = opcode == OpText ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
                _utf8PendingCount = 0;
            }
            _inFrame = true;
            _inMessage = true;
            _frameFinal = final;
            _frameRemaining = length;
            _mask = mask;
            _maskOffset = 0;
            data = data.Slice(headerLength);
            consumed = examined = data.Start;
        }

        if (_frameRemaining == 0 || destination.IsEmpty)
        {
            // Nothing of the payload is taken: a read that follows must see what is already there.
            examined = consumed;
            // An empty frame, or a zero-byte receive that only waited for the next message to begin.
            if (_frameRemaining == 0 && !EndFrame()) return ParseOutcome.InvalidUtf8;
            result = new ValueWebSocketReceiveResult(0, _messageType, _frameRemaining == 0 && !_inMessage);
            return _frameRemaining == 0 && _inMessage && !destination.IsEmpty ? ParseOutcome.NeedMore : ParseOutcome.Result;
        }
        if (data.IsEmpty) return inputEnded ? ParseOutcome.EndOfInput : ParseOutcome.NeedMore;

        var count = (int)Math.Min(Math.Min(data.Length, _frameRemaining), destination.Length);
        var target = destination[..count];
        data.Slice(0, count).CopyTo(target);
        Unmask(target, _mask, _maskOffset);
        _maskOffset = (_maskOffset + count) & 3;
        _frameRemaining -= count;
        consumed = examined = data.GetPosition(count);
        if (_messageType == WebSocketMessageType.Text && !ValidateUtf8(target)) return ParseOutcome.InvalidUtf8;
        if (_frameRemaining == 0 && !EndFrame()) return ParseOutcome.InvalidUtf8;
        result = new ValueWebSocketReceiveResult(count, _messageType, _frameRemaining == 0 && !_inMessage);
        return ParseOutcome.Result;
    }

    /// <summary>The current data frame is all delivered: its message ends with it if it was final. False: a text message ended inside a UTF-8 sequence.</summary>
    private bool EndFrame()
    {
        _inFrame = false;
        if (!_frameFinal) return true;
        _inMessage = false;
        return _messageType != WebSocketMessageType.Text || _utf8PendingCount == 0;
    }

    private static ParseOutcome ReadHeader(ReadOnlySequence<byte> data, out int headerLength, out byte opcode, out bool final, out long length, out uint mask)
    {
        headerLength = 0;
        opcode = 0;
        final = false;
        length = 0;
        mask = 0;
        if (data.Length < 2) return ParseOutcome.NeedMore;
        Span<byte> header = stackalloc byte[MaxHeaderLength];
        var available = (int)Math.Min(data.Length, MaxHeaderLength);
        data.Slice(0, available).CopyTo(header);

        final = (header[0] & 0x80) != 0;
        opcode = (byte)(header[0] & 0x0F);
        var masked = (header[1] & 0x80) != 0;
        var length7 = header[1] & 0x7F;
        // No extension is negotiated on this path, so the reserved bits must be clear; clients must mask.
        if ((header[0] & 0x70) != 0 || !masked) return ParseOutcome.ProtocolError;
        if (opcode is not (OpContinuation or OpText or OpBinary or OpClose or OpPing or OpPong)) return ParseOutcome.ProtocolError;
        if (opcode >= OpClose && (!final || length7 > MaxControlPayload)) return ParseOutcome.ProtocolError;

        var lengthBytes = length7 switch { 126 => 2, 127 => 8, _ => 0 };
        headerLength = 2 + lengthBytes + 4;
        if (available < headerLength) return ParseOutcome.NeedMore;
        length = lengthBytes switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            8 => (long)BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
            _ => length7,
        };
        // The most significant bit of a 64-bit length must be 0 (a negative long here).
        if (length < 0) return ParseOutcome.ProtocolError;
        mask = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(2 + lengthBytes, 4));
        return ParseOutcome.Result;
    }

    /// <summary>XORs <paramref name="payload"/> with the frame's mask, <paramref name="offset"/> bytes into it.</summary>
    private static void Unmask(Span<byte> payload, uint mask, int offset)
    {
        // The mask as it lines up with the payload's first byte, repeated to 8 bytes (8 is a multiple of 4).
        var rotated = offset == 0 ? mask : BitOperations.RotateRight(mask, offset * 8);
        var wide = rotated | ((ulong)rotated << 32);
        var i = 0;
        for (; i + 8 <= payload.Length; i += 8)
        {
            var chunk = payload.Slice(i, 8);
            BinaryPrimitives.WriteUInt64LittleEndian(chunk, BinaryPrimitives.ReadUInt64LittleEndian(chunk) ^ wide);
        }
        for (; i < payload.Length; i++) payload[i] ^= (byte)(rotated >> (((i & 3)) * 8));
    }

    /// <summary>
    /// Checks the next bytes of a text message, which may end inside a UTF-8 sequence: those bytes are kept and checked
    /// with the bytes that complete them.
    /// </summary>
    private bool ValidateUtf8(ReadOnlySpan<byte> chunk)
    {
        if (_utf8PendingCount > 0)
        {
            Span<byte> sequence = stackalloc byte[4];
            MemoryMarshal.Write(sequence, in _utf8Pending);
            var expected = SequenceLength(sequence[0]);
            var taken = Math.Min(expected - _utf8PendingCount, chunk.Length);
            chunk[..taken].CopyTo(sequence[_utf8PendingCount..]);
            _utf8PendingCount += taken;
            chunk = chunk[taken..];
            if (_utf8PendingCount < expected)
            {
                _utf8Pending = MemoryMarshal.Read<uint>(sequence);
                return chunk.IsEmpty;
            }
            _utf8PendingCount = 0;
            if (!Utf8.IsValid(sequence[..expected])) return false;
        }
        var tail = IncompleteTail(chunk);
        if (!Utf8.IsValid(chunk[..^tail])) return false;
        if (tail > 0)
        {
            Span<byte> pending = stackalloc byte[4];
            pending.Clear();
            chunk[^tail..].CopyTo(pending);
            _utf8Pending = MemoryMarshal.Read<uint>(pending);
            _utf8PendingCount = tail;
        }
        return true;
    }

    /// <summary>How many bytes at the end of <paramref name="chunk"/> start a UTF-8 sequence that continues past it.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> chunk)
    {
        for (var back = 1; back <= Math.Min(3, chunk.Length); back++)
        {
            var b = chunk[^back];
            if ((b & 0xC0) == 0x80) continue; // a continuation byte: look further back for its lead byte
            return b >= 0xC0 && SequenceLength(b) > back ? back : 0;
        }
        return 0;
    }

    private static int SequenceLength(byte lead) => lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

    /// <summary>Reads a close frame's status and reason; returns the status to fail with when they are invalid.</summary>
    private WebSocketCloseStatus? ReadClose(ControlFrame close)
    {
        if (close.Length == 0)
        {
            _closeStatus = WebSocketCloseStatus.Empty;
            _closeStatusDescription = string.Empty;
            return null;
        }
        if (close.Length == 1) return WebSocketCloseStatus.ProtocolError;
        var code = BinaryPrimitives.ReadUInt16BigEndian(close.Payload);
        var reason = close.Payload.AsSpan(2, close.Length - 2);
        if (!IsValidCloseCode(code)) return WebSocketCloseStatus.ProtocolError;
        if (!Utf8.IsValid(reason)) return WebSocketCloseStatus.InvalidPayloadData;
        _closeStatus = (WebSocketCloseStatus)code;
        _closeStatusDescription = Encoding.UTF8.GetString(reason);
        return null;
    }

    // RFC 6455 7.4: the codes an endpoint may send (1004-1006 and 1015 are reserved; 3000-4999 belong to applications).
    private static bool IsValidCloseCode(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>Sends a close frame for a protocol violation (once, if none was sent) and fails the receive.</summary>
    private async ValueTask FailAsync(WebSocketCloseStatus status, string message)
    {
        try
        {
            await CloseOutputAsync(status, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is going anyway.
        }
        throw new WebSocketException(WebSocketError.Faulted, message);
    }

    // ---- Sending ----------------------------------------------------------------------------------------------

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.None, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer, messageType, endOfMessage ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.None, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken)
    {
        if (messageType == WebSocketMessageType.Close) throw new ArgumentException("Close with CloseOutputAsync.", nameof(messageType));
        // Compression is never negotiated on this path: DisableCompression changes nothing.
        var final = (messageFlags & WebSocketMessageFlags.EndOfMessage) != 0;
        // Uncontended, the gate is taken at once and nothing is allocated unless the flush has to wait.
        var gate = _sendGate.WaitAsync(cancellationToken);
        return gate.IsCompletedSuccessfully ? SendFrameLockedAsync(buffer, messageType, final) : SendAfterGateAsync(gate, buffer, messageType, final);
    }

    private async ValueTask SendAfterGateAsync(Task gate, ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool final)
    {
        await gate.ConfigureAwait(false);
        await SendFrameLockedAsync(buffer, messageType, final).ConfigureAwait(false);
    }

    private ValueTask SendFrameLockedAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool final)
    {
        try
        {
            if (State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                throw new WebSocketException(WebSocketError.InvalidState, $"The WebSocket is {State}: nothing more can be sent.");
            var opcode = _sendingFragmented ? OpContinuation : messageType == WebSocketMessageType.Text ? OpText : OpBinary;
            _sendingFragmented = !final;
            WriteFrame(opcode, final, buffer.Span);
            var flush = _output.FlushAsync();
            if (flush.IsCompletedSuccessfully)
            {
                CheckFlush(flush.Result);
                _sendGate.Release();
                return default;
            }
            return AwaitFlushAndReleaseAsync(flush);
        }
        catch
        {
            _sendGate.Release();
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitFlushAndReleaseAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            CheckFlush(await flush.ConfigureAwait(false));
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private static void CheckFlush(FlushResult result)
    {
        if (result.IsCanceled) throw new OperationCanceledException("The WebSocket was aborted.");
        if (result.IsCompleted) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection is closed.");
    }

    /// <summary>Writes one unmasked server frame, header and payload, into the output pipe (not flushed).</summary>
    private void WriteFrame(byte opcode, bool final, ReadOnlySpan<byte> payload)
    {
        var span = _output.GetSpan(MaxHeaderLength);
        span[0] = (byte)((final ? 0x80 : 0) | opcode);
        int headerLength;
        if (payload.Length < 126)
        {
            span[1] = (byte)payload.Length;
            headerLength = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            span[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)payload.Length);
            headerLength = 4;
        }
        else
        {
            span[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(span[2..], (ulong)payload.Length);
            headerLength = 10;
        }
        // A small frame goes out in the header's memory; a larger one is copied in as many pieces as the pipe gives.
        if (span.Length >= headerLength + payload.Length)
        {
            payload.CopyTo(span[headerLength..]);
            _output.Advance(headerLength + payload.Length);
            return;
        }
        _output.Advance(headerLength);
        _output.Write(payload);
    }

    private async ValueTask SendControlAsync(byte opcode, byte[]? payload, int length)
    {
        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            // A pong after our close frame would break the protocol; the close is the last frame we send.
            if (_closeSent) return;
            WriteFrame(opcode, true, payload.AsSpan(0, length));
            CheckFlush(await _output.FlushAsync().ConfigureAwait(false));
        }
        finally
        {
            _sendGate.Release();
        }
    }

    // ---- Closing ----------------------------------------------------------------------------------------------

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closeSent) return;
            if (State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                throw new WebSocketException(WebSocketError.InvalidState, $"The WebSocket is {State}: it cannot be closed.");
            var reason = statusDescription is null ? [] : Encoding.UTF8.GetBytes(statusDescription);
            var payload = new byte[2 + Math.Min(reason.Length, MaxControlPayload - 2)];
            BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)closeStatus);
            reason.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
            WriteFrame(OpClose, true, payload);
            _closeSent = true;
            Transition(WebSocketState.CloseSent);
            CheckFlush(await _output.FlushAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await CloseOutputAsync(closeStatus, statusDescription, cancellationToken).ConfigureAwait(false);
        var discard = new byte[MaxControlPayload];
        while (State == WebSocketState.CloseSent)
        {
            var result = await ReceiveAsync(discard.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) break;
        }
    }

    /// <summary>Moves to the state a sent or received close frame leads to: both seen is Closed.</summary>
    private void Transition(WebSocketState seen)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            var next = (WebSocketState)current switch
            {
                WebSocketState.Open => seen,
                WebSocketState.CloseSent when seen == WebSocketState.CloseReceived => WebSocketState.Closed,
                WebSocketState.CloseReceived when seen == WebSocketState.CloseSent => WebSocketState.Closed,
                _ => (WebSocketState)current,
            };
            if (Interlocked.CompareExchange(ref _state, (int)next, current) == current) return;
        }
    }

    public override void Abort()
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current is (int)WebSocketState.Closed or (int)WebSocketState.Aborted) break;
            if (Interlocked.CompareExchange(ref _state, (int)WebSocketState.Aborted, current) == current) break;
        }
        // Ends a read waiting for the client and a flush waiting for it to read; the pipes are completed by Dispose.
        _input.CancelPendingRead();
        _output.CancelPendingFlush();
    }

    public override void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var current = Volatile.Read(ref _state);
        if (current is not ((int)WebSocketState.Closed or (int)WebSocketState.Aborted))
            Interlocked.CompareExchange(ref _state, (int)WebSocketState.Closed, current);
        // The connection itself ends when the middleware returns; completing the pipes tells Kestrel that nothing
        // more will be read or written.
        _input.Complete();
        _output.Complete();
    }
}
