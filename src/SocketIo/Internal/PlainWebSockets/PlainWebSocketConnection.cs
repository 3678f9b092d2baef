using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EngineIo;
using EngineIo.Internal;
using Microsoft.Extensions.Logging;
using SocketIo.Internal.Parsing;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Serialization;

namespace SocketIo.Internal.PlainWebSockets;

/// <summary>
/// A plain WebSocket client of one namespace, speaking JSON envelopes. It is a <see cref="ClientConnection"/> like an
/// Engine.IO client: its envelopes become EVENT packets (an envelope id asks for an ACK) dispatched to its socket,
/// and what its socket is sent (the same encoded messages as any socket, broadcasts included) is decoded back into
/// packets and written as envelopes. The transcoding is this connection's alone: Socket.IO clients pay nothing for it.
/// </summary>
internal sealed partial class PlainWebSocketConnection : ClientConnection
{
    // Decoding what the server itself encoded: as deep and with as many attachments as the application sends.
    private static readonly DecoderLimits OutgoingLimits = new() { MaxAttachments = 10_000, MaxDepth = 64 };
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _webSocket;
    private readonly EngineRequestInfo _request;
    private readonly string _namespace;
    private readonly PlainWebSocketOptions _options;
    private readonly IPacketDecoder _outgoingDecoder;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    // Guards everything below: the order of outgoing frames, the outgoing decoder's state, and the request maps.
    private readonly object _sendSync = new();
    // A client message that asked for an answer, by the acknowledgement id it was given: its type and its own id (raw JSON).
    private readonly Dictionary<long, (string Type, byte[] Id)> _clientRequests = [];
    // The server's emits that wait for the client's answer: envelope id to acknowledgement id.
    private readonly Dictionary<string, long> _serverRequests = new(StringComparer.Ordinal);
    // What the client sent before its socket joined the namespace; null once it has.
    private List<SocketIoPacket>? _earlyPackets = [];
    private SocketIoSocket? _socket;
    private long _nextRequestId;
    private long _nextMessageId;
    private bool _closeQueued;
    // The bytes of text frames queued and not yet written (added under _sendSync, taken off by the write loop), and
    // whether the connection was cut off for letting them pass MaxQueuedBytes.
    private long _queuedBytes;
    private bool _slowConsumer;
    private int? _chosenCloseStatus;
    private string? _chosenCloseReason;
    private CancellationTokenSource? _closeDeadline;

    public PlainWebSocketConnection(SocketIoServer server, WebSocket webSocket, EngineRequestInfo request, string @namespace, PlainWebSocketOptions options)
        : base(server)
    {
        _webSocket = webSocket;
        _request = request;
        _namespace = @namespace;
        _options = options;
        _outgoingDecoder = server.Parser.CreateDecoder(OutgoingLimits);
        ConnectionId = SessionIdGenerator.Next();
    }

    public override string ConnectionId { get; }

    public override EngineRequestInfo Request => _request;

    public override string TransportName => "plain-websocket";

    protected override bool IsTransportOpen
    {
        get
        {
            lock (_sendSync) return !_closeQueued && _webSocket.State == WebSocketState.Open;
        }
    }

    /// <summary>Joins the namespace, then reads the client's messages until the connection ends; returns once it is closed.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        var writing = WriteLoopAsync();
        // The handshake's auth is the query, as an object of strings, so that a middleware can read it either way.
        Dispatch(new SocketIoPacket(PacketType.Connect, _namespace, null, QueryAsJson(_request), []));
        var reason = DisconnectReason.TransportClose;
        try
        {
            await ReceiveLoopAsync(aborted).ConfigureAwait(false);
            // The client's close frame: answer it (with its own code) after what is queued.
            QueueClose(_webSocket.CloseStatus is { } status ? (int)status : (int)WebSocketCloseStatus.NormalClosure, null);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The connection dropped, the keep-alive timed out, or a close was not answered in time.
            reason = Volatile.Read(ref _slowConsumer) ? DisconnectReason.SlowConsumer : DisconnectReason.TransportError;
            Log.ConnectionLost(_server.Logger, ConnectionId, ex.Message);
            QueueClose(null, null);
        }
        OnClosed(reason);
        try
        {
            await writing.WaitAsync(_options.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A client that stopped reading must not hold the request: drop it.
            _webSocket.Abort();
            Log.ConnectionLost(_server.Logger, ConnectionId, "close timeout");
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        var message = new ArrayBufferWriter<byte>(4096);
        var discarding = false;
        while (true)
        {
            var result = await _webSocket.ReceiveAsync(message.GetMemory(4096), aborted).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return;
            message.Advance(result.Count);
            if (message.WrittenCount > _options.MaxMessageSize && !discarding)
            {
                discarding = true;
                Log.MessageTooBig(_server.Logger, ConnectionId, _options.MaxMessageSize);
                CloseNow((int)WebSocketCloseStatus.MessageTooBig, "message too big");
            }
            if (discarding) message.ResetWrittenCount();
            if (!result.EndOfMessage) continue;
            if (!discarding)
            {
                if (result.MessageType == WebSocketMessageType.Text) OnClientMessage(message.WrittenSpan);
                else SendError(null, "unsupported", "Binary messages are not supported: send JSON text.");
            }
            message.ResetWrittenCount();
        }
    }

    // ---- From the client --------------------------------------------------------------------------------------

    private void OnClientMessage(ReadOnlySpan<byte> utf8)
    {
        string? type = null;
        JsonElement data = default;
        byte[]? id = null;
        string? idText = null;
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty(_options.TypeField, out var typeValue) && typeValue.ValueKind == JsonValueKind.String) type = typeValue.GetString();
                if (root.TryGetProperty(_options.DataField, out var dataValue)) data = dataValue.Clone();
                // Some older APIs put their fields beside the type ({"type":"auth","token":...}): such an envelope is
                // its own data.
                else if (HasOwnFields(root)) data = root.Clone();
                if (_options.IdField is { } idField && root.TryGetProperty(idField, out var idValue) && idValue.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    id = Encoding.UTF8.GetBytes(idValue.GetRawText());
                    idText = idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : idValue.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            Log.InvalidEnvelope(_server.Logger, ConnectionId, "not JSON");
            SendError(null, "invalid_json", "The message is not valid JSON.");
            return;
        }
        if (string.IsNullOrEmpty(type))
        {
            Log.InvalidEnvelope(_server.Logger, ConnectionId, "no type");
            SendError(id, "invalid_message", $"A message is a JSON object with a string '{_options.TypeField}' field.");
            return;
        }
        if (type == _options.PingType)
        {
            SendEnvelope(_options.PongType, id, 0, static (writer, _) => writer.WriteNullValue());
            return;
        }

        long? replyTo = null;
        if (idText is not null)
        {
            lock (_sendSync)
            {
                if (_serverRequests.Remove(idText, out var ackId)) replyTo = ackId;
            }
        }
        var packet = replyTo is { } answered
            ? new SocketIoPacket(PacketType.Ack, _namespace, answered, WriteArray(null, data), [])
            : new SocketIoPacket(PacketType.Event, _namespace, id is null ? null : RegisterClientRequest(type, id), WriteArray(type, data), []);
        Deliver(packet);
    }

    private bool HasOwnFields(JsonElement envelope)
    {
        foreach (var property in envelope.EnumerateObject())
        {
            if (property.Name != _options.TypeField && property.Name != _options.IdField) return true;
        }
        return false;
    }

    private long RegisterClientRequest(string type, byte[] id)
    {
        lock (_sendSync)
        {
            var ackId = _nextRequestId++;
            _clientRequests[ackId] = (type, id);
            return ackId;
        }
    }

    /// <summary>Hands a packet to the socket; until the socket has joined its namespace, keeps it for then.</summary>
    private void Deliver(SocketIoPacket packet)
    {
        lock (_sendSync)
        {
            if (_earlyPackets is not null)
            {
                _earlyPackets.Add(packet);
                return;
            }
        }
        Dispatch(packet);
    }

    private protected override void OnAttached(SocketIoSocket socket)
    {
        int? chosen;
        lock (_sendSync)
        {
            _socket = socket;
            chosen = _chosenCloseStatus;
        }
        // A middleware chose to close the client without refusing it: closed now that it is in.
        if (chosen is { } status) CloseNow(status, _chosenCloseReason);
        while (true)
        {
            List<SocketIoPacket> batch;
            lock (_sendSync)
            {
                if (_earlyPackets is null || _earlyPackets.Count == 0)
                {
                    _earlyPackets = null;
                    return;
                }
                batch = _earlyPackets;
                // Packets arriving meanwhile queue behind this batch, so the order holds.
                _earlyPackets = [];
            }
            foreach (var packet in batch) Dispatch(packet);
        }
    }

    internal override void OnUnhandledEvent(SocketIoSocket socket, string eventName, SocketIoAck? ack)
    {
        byte[]? id = null;
        if (ack is not null)
        {
            lock (_sendSync)
            {
                if (_clientRequests.Remove(ack.Id, out var request)) id = request.Id;
            }
        }
        Log.UnknownType(_server.Logger, ConnectionId, eventName);
        SendError(id, "unknown_type", $"Unknown message type '{eventName}'.");
    }

    /// <summary>The EVENT or ACK payload of an envelope: <c>["type", data]</c>, or <c>[data]</c>, or without data when it had none.</summary>
    private static ReadOnlyMemory<byte> WriteArray(string? type, JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (type is not null) writer.WriteStringValue(type);
            if (data.ValueKind != JsonValueKind.Undefined) data.WriteTo(writer);
            writer.WriteEndArray();
        }
        return buffer.WrittenMemory;
    }

    private static ReadOnlyMemory<byte> QueryAsJson(EngineRequestInfo request)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in request.Query) writer.WriteString(key, value.ToString());
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    // ---- To the client ----------------------------------------------------------------------------------------

    /// <summary>
    /// Writes what the socket is sent, as envelopes. The messages are the ones every recipient gets (a broadcast's
    /// are shared): they are decoded back into their packet here, for this connection only.
    /// </summary>
    public override bool TrySend(EngineMessage[] messages, bool isVolatile, bool compress, bool deferWrite)
    {
        lock (_sendSync)
        {
            if (_closeQueued) return false;
            // A volatile packet is dropped rather than queued behind a backlog.
            if (isVolatile && _outgoing.Reader.Count > 0) return false;
            foreach (var message in messages)
            {
                SocketIoPacket? packet;
                string? error;
                var decoded = message.IsBinary
                    ? _outgoingDecoder.TryDecodeBinary(message.BinaryData, out packet, out error)
                    : _outgoingDecoder.TryDecodeText(message.TextFrame[1..], out packet, out error);
                if (!decoded)
                {
                    Log.UntranslatablePacket(_server.Logger, ConnectionId, error);
                    continue;
                }
                if (packet is null) continue;
                Translate(packet);
            }
            return true;
        }
    }

    // Under _sendSync.
    private void Translate(SocketIoPacket packet)
    {
        switch (packet.Type)
        {
            case PacketType.Event or PacketType.BinaryEvent:
            {
                using var document = JsonDocument.Parse(packet.Data);
                var array = document.RootElement;
                var type = array[0].ValueKind == JsonValueKind.String ? array[0].GetString()! : array[0].GetRawText();
                string id;
                if (packet.Id is { } ackId)
                {
                    // The server waits for an answer: the client replies with this id.
                    id = "ack-" + ackId.ToString(CultureInfo.InvariantCulture);
                    _serverRequests[id] = ackId;
                }
                else
                {
                    id = ConnectionId + "-" + (++_nextMessageId).ToString(CultureInfo.InvariantCulture);
                }
                var data = array.GetArrayLength() > 1 ? array[1] : default;
                QueueEnvelope(type, JsonSerializer.SerializeToUtf8Bytes(id, SocketIoJsonContext.Default.String), data, packet.Attachments);
                break;
            }
            case PacketType.Ack or PacketType.BinaryAck:
            {
                if (packet.Id is not { } ackId || !_clientRequests.Remove(ackId, out var request)) return;
                using var document = JsonDocument.Parse(packet.Data);
                var array = document.RootElement;
                var data = array.GetArrayLength() > 0 ? array[0] : default;
                QueueEnvelope(request.Type, request.Id, data, packet.Attachments);
                break;
            }
            case PacketType.ConnectError:
            {
                // A middleware refused the client (or the namespace does not exist): closed with the code it chose, if it chose one.
                string? message = null;
                using (var document = JsonDocument.Parse(packet.Data))
                {
                    var root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String) message = text.GetString();
                    else if (root.ValueKind == JsonValueKind.String) message = root.GetString();
                }
                QueueClose(_chosenCloseStatus ?? _options.RefusalCloseStatus, _chosenCloseReason ?? message);
                break;
            }
            case PacketType.Disconnect:
                // The socket left its namespace, which for this client is the whole connection.
                QueueClose(_chosenCloseStatus ?? (int)WebSocketCloseStatus.NormalClosure, _chosenCloseReason);
                break;
            // CONNECT: a plain client needs no confirmation; its first messages are simply answered.
        }
    }

    private void SendError(byte[]? id, string code, string message) =>
        SendEnvelope(_options.ErrorType, id, (code, message), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("code", state.code);
            writer.WriteString("message", state.message);
            writer.WriteEndObject();
        });

    private void SendEnvelope<TState>(string type, byte[]? id, TState state, Action<Utf8JsonWriter, TState> writeData)
    {
        lock (_sendSync)
        {
            if (_closeQueued) return;
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString(_options.TypeField, type);
                if (_options.IdField is { } idField)
                {
                    writer.WritePropertyName(idField);
                    if (id is null) writer.WriteStringValue(ConnectionId + "-" + (++_nextMessageId).ToString(CultureInfo.InvariantCulture));
                    else writer.WriteRawValue(id, skipInputValidation: true);
                }
                writer.WritePropertyName(_options.DataField);
                writeData(writer, state);
                WriteTimestamp(writer);
                writer.WriteEndObject();
            }
            Enqueue(buffer.WrittenMemory.ToArray());
        }
    }

    // Under _sendSync.
    private void QueueEnvelope(string type, byte[] id, JsonElement data, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(_options.TypeField, type);
            if (_options.IdField is { } idField)
            {
                writer.WritePropertyName(idField);
                writer.WriteRawValue(id, skipInputValidation: true);
            }
            writer.WritePropertyName(_options.DataField);
            if (data.ValueKind == JsonValueKind.Undefined) writer.WriteNullValue();
            // Binary parts have no place in JSON: they travel as base64 strings.
            else if (attachments.Count > 0) WriteNode(writer, PayloadSerializer.ToNode(data, attachments));
            else data.WriteTo(writer);
            WriteTimestamp(writer);
            if (_options.WriteExtraFields is { } extra && _socket is { } socket)
            {
                try
                {
                    extra(socket, writer);
                }
                catch (Exception ex)
                {
                    Log.ExtraFieldsFailed(_server.Logger, ConnectionId, ex);
                }
            }
            writer.WriteEndObject();
        }
        Enqueue(buffer.WrittenMemory.ToArray());
    }

    /// <summary>
    /// Queues a text frame (under _sendSync). A client that lets more than <see cref="SocketIoOptions.MaxQueuedBytes"/>
    /// pile up is not reading: its connection is dropped at once (a close frame behind what it does not read would
    /// never reach it), as the Engine.IO transports do; a single frame always fits an empty queue.
    /// </summary>
    private void Enqueue(byte[] text)
    {
        var queued = Interlocked.Read(ref _queuedBytes);
        var limit = _server.Options.MaxQueuedBytes;
        if (queued > 0 && queued + text.Length > limit)
        {
            _closeQueued = true;
            Volatile.Write(ref _slowConsumer, true);
            _outgoing.Writer.TryComplete();
            Log.SlowConsumer(_server.Logger, ConnectionId, queued, limit);
            _webSocket.Abort();
            return;
        }
        Interlocked.Add(ref _queuedBytes, text.Length);
        _outgoing.Writer.TryWrite(new Outgoing(text, null, null));
    }

    private static void WriteNode(Utf8JsonWriter writer, System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is null) writer.WriteNullValue();
        else node.WriteTo(writer);
    }

    private void WriteTimestamp(Utf8JsonWriter writer)
    {
        if (_options.TimestampField is not { } field) return;
        writer.WriteString(field, _server.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    // ---- Closing ----------------------------------------------------------------------------------------------

    protected override void CloseTransport() => QueueClose(_chosenCloseStatus ?? (int)WebSocketCloseStatus.PolicyViolation, _chosenCloseReason);

    /// <summary>
    /// Closes with the application's code. Called before the socket joined (from a middleware, which then refuses
    /// it), the code is kept for the refusal; afterwards, the connection closes now, after what is queued.
    /// </summary>
    public override void CloseWithStatus(int closeCode, string? reason)
    {
        bool attached;
        lock (_sendSync)
        {
            _chosenCloseStatus = closeCode;
            _chosenCloseReason = reason;
            attached = _socket is not null;
        }
        if (attached) CloseNow(closeCode, reason);
    }

    private void CloseNow(int closeCode, string? reason)
    {
        QueueClose(closeCode, reason);
        OnClosed(DisconnectReason.ServerNamespaceDisconnect);
    }

    /// <summary>The application is stopping: the sockets disconnect, then the client gets 1001.</summary>
    public void Shutdown()
    {
        OnClosed(DisconnectReason.ServerShuttingDown);
        QueueClose((int)WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }

    /// <summary>Queues the close frame after what is queued (null status: no close frame, the connection is dropped); only the first counts.</summary>
    private void QueueClose(int? status, string? reason)
    {
        lock (_sendSync)
        {
            if (_closeQueued) return;
            _closeQueued = true;
            _outgoing.Writer.TryWrite(new Outgoing(null, status, reason));
            _outgoing.Writer.TryComplete();
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var item in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Text is { } text)
                {
                    await _webSocket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Add(ref _queuedBytes, -text.Length);
                    continue;
                }
                if (item.CloseStatus is { } status && _webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _webSocket.CloseOutputAsync((WebSocketCloseStatus)status, Truncate(item.CloseReason), CancellationToken.None).ConfigureAwait(false);
                    if (_webSocket.State == WebSocketState.CloseSent)
                    {
                        // Our close first: the client has this long to answer before the connection is dropped.
                        _closeDeadline = new CancellationTokenSource(_options.CloseTimeout);
                        _closeDeadline.Token.Register(static state => ((WebSocket)state!).Abort(), _webSocket);
                    }
                }
                else if (item.CloseStatus is null)
                {
                    _webSocket.Abort();
                }
                return;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is gone; the receive loop reports it.
            Log.ConnectionLost(_server.Logger, ConnectionId, ex.Message);
            _webSocket.Abort();
        }
    }

    private static string? Truncate(string? reason)
    {
        if (reason is null || Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes) return reason;
        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes) length--;
        return reason[..length];
    }

    /// <summary>A text frame, or the close (with its code, or none to drop the connection).</summary>
    private readonly record struct Outgoing(byte[]? Text, int? CloseStatus, string? CloseReason);
}
