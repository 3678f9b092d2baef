using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace SocketIo.Adapters.Cluster;

/// <summary>
/// The cluster message model of socket.io-adapter 2.5's <c>ClusterAdapter</c>, written once: every server operation
/// becomes a <see cref="ClusterMessage"/>, and a subclass only moves bytes. It publishes with
/// <see cref="PublishAsync"/> and <see cref="PublishResponseAsync"/>, hands what it receives to
/// <see cref="OnMessage"/> / <see cref="OnResponse"/>, and says how many nodes there are
/// (<see cref="SocketIoAdapter.ServerCountAsync"/>). Requests to other nodes end at their timeout with the answers
/// received, never later.
/// </summary>
public abstract partial class ClusterAdapter : InMemoryAdapter
{
    /// <summary>The uid of messages published by @socket.io/redis-emitter.</summary>
    public const string EmitterUid = "emitter";

    /// <summary>How long a request waits for the other nodes when no timeout is given (the reference's 5 s).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckRequest> _ackRequests = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter of <paramref name="namespace"/> with a fresh random node id.</summary>
    protected ClusterAdapter(SocketIoNamespace @namespace)
        : this(@namespace, logsBroadcasts: false)
    {
    }

    /// <summary>
    /// Creates the adapter of <paramref name="namespace"/> with a fresh random node id. With
    /// <paramref name="logsBroadcasts"/>, the transport keeps broadcasts in an ordered log whose offsets
    /// <see cref="PublishAsync"/> returns and <see cref="OnMessage"/> receives (Redis Streams): with connection state
    /// recovery on, every node then delivers logged broadcasts in log order, with their offset as the last argument,
    /// and the transport restores sessions from the log (<see cref="RestoreFromLog"/>) instead of this node's memory.
    /// </summary>
    protected ClusterAdapter(SocketIoNamespace @namespace, bool logsBroadcasts)
        : base(@namespace, keepsRecoveryStore: !logsBroadcasts)
    {
        Uid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        RecoversFromLog = logsBroadcasts && @namespace.Server.Options.ConnectionStateRecovery is not null;
    }

    /// <summary>This node's id (16 hex digits, as the reference's).</summary>
    public string Uid { get; }

    /// <summary>How long requests to other nodes wait by default; the reference's 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>Publishes a message to every node. Returns the transport's offset of the message, if it has one.</summary>
    protected abstract Task<string?> PublishAsync(ClusterMessage message);

    /// <summary>Publishes a response to the node <paramref name="requesterUid"/>.</summary>
    protected abstract Task PublishResponseAsync(string requesterUid, ClusterMessage response);

    /// <summary>Called for requests to other nodes: how many answers to expect, and from which nodes when known.</summary>
    private protected virtual async ValueTask<(int Expected, HashSet<string>? From)> ExpectedResponsesAsync()
    {
        var count = await ServerCountAsync().ConfigureAwait(false);
        return (count - 1, null);
    }

    /// <summary>Publishes a message, errors swallowed as the reference's <c>publish</c> does (they are the transport's to log).</summary>
    private protected void Publish(ClusterMessageType type, ReadOnlyMemory<byte> data, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null) =>
        _ = PublishQuietlyAsync(ClusterMessage.Create(type, Uid, Namespace.Name, data, attachments));

    private async Task PublishQuietlyAsync(ClusterMessage message)
    {
        try
        {
            OnPublishing(message);
            await PublishAsync(message).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            OnPublishFailed(message, exception);
        }
    }

    /// <summary>Called before each message this node publishes (the heartbeat variant reschedules its heartbeat).</summary>
    private protected virtual void OnPublishing(ClusterMessage message)
    {
    }

    /// <summary>
    /// Called when publishing failed; the default logs it at Debug level (a transport logs its outages itself, once),
    /// and requests then end at their timeout.
    /// </summary>
    protected virtual void OnPublishFailed(ClusterMessage message, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(message);
        Log.PublishFailed(Namespace.Server.Logger, message.Type, Namespace.Name, exception);
    }

    /// <summary>For transports: logs a received message whose handling threw (the transport's loop goes on).</summary>
    protected void OnHandlingFailed(ClusterMessage message, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(message);
        Log.HandlingFailed(Namespace.Server.Logger, message.Type, message.Uid, Namespace.Name, exception);
    }

    /// <summary>For transports: logs bytes received that are not a cluster message (ignored, as the reference does).</summary>
    protected void OnMalformedMessage(int length) => Log.MalformedMessage(Namespace.Server.Logger, length, Namespace.Name);

    /// <summary>
    /// For transports: handles bytes received from another node: a request or broadcast (<see cref="OnMessage"/>), or,
    /// with <paramref name="isResponse"/>, an answer to a request of this node (<see cref="OnResponse"/>). Bytes that
    /// are not a cluster message are logged and ignored; a message whose handling throws is logged, so that the
    /// transport's loop goes on.
    /// </summary>
    protected void OnReceived(ReadOnlyMemory<byte> raw, bool isResponse)
    {
        var message = ClusterMessage.TryDecode(raw);
        if (message is null)
        {
            OnMalformedMessage(raw.Length);
            return;
        }
        Handle(message, offset: null, isResponse);
    }

    /// <summary>
    /// For transports that decode messages themselves: handles a message of another node (<see cref="OnMessage"/>),
    /// with the log offset it was read at, if any. A message whose handling throws is logged, so that the transport's
    /// loop goes on.
    /// </summary>
    protected void OnReceived(ClusterMessage message, string? offset)
    {
        ArgumentNullException.ThrowIfNull(message);
        Handle(message, offset, isResponse: false);
    }

    private void Handle(ClusterMessage message, string? offset, bool isResponse)
    {
        try
        {
            if (isResponse) OnResponse(message);
            else OnMessage(message, offset);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // One bad message must not stop the transport's queue.
            OnHandlingFailed(message, exception);
        }
    }

    private void Respond(string requesterUid, ClusterMessageType type, ReadOnlyMemory<byte> data, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null) =>
        _ = RespondQuietlyAsync(requesterUid, ClusterMessage.Create(type, Uid, Namespace.Name, data, attachments));

    private async Task RespondQuietlyAsync(string requesterUid, ClusterMessage response)
    {
        try
        {
            await PublishResponseAsync(requesterUid, response).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            OnPublishFailed(response, exception);
        }
    }

    // ---- Outgoing -------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public override void Broadcast(AdapterPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Local)
        {
            var data = ClusterJson.Object(w =>
            {
                ClusterJson.WritePacket(w, packet);
                ClusterJson.WriteOptions(w, options);
            });
            if (RecoversFromLog && IsLoggedForRecovery(packet.Packet, options))
            {
                // Delivered here too when the log hands it back, in log order and with its offset.
                _ = PublishLoggedBroadcastAsync(ClusterMessage.Create(ClusterMessageType.Broadcast, Uid, Namespace.Name, data, packet.Attachments), packet, options);
                return;
            }
            Publish(ClusterMessageType.Broadcast, data, packet.Attachments);
        }
        base.Broadcast(packet, options);
    }

    /// <inheritdoc />
    public override void BroadcastWithAck(AdapterPacket packet, BroadcastOptions options, Action<int> clientCount, Action<SocketIoArguments?> ack, CancellationToken expired)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Local)
        {
            var requestId = NewRequestId();
            _ackRequests[requestId] = new AckRequest(clientCount, ack);
            // The reference forgets the request after the broadcast's timeout; here, when the caller stops waiting.
            expired.Register(() => _ackRequests.TryRemove(requestId, out _));
            Publish(ClusterMessageType.Broadcast, ClusterJson.Object(w =>
            {
                ClusterJson.WritePacket(w, packet);
                w.WriteString("requestId", requestId);
                ClusterJson.WriteOptions(w, options);
            }), packet.Attachments);
        }
        base.BroadcastWithAck(packet, options, clientCount, ack, expired);
    }

    /// <inheritdoc />
    public override ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        if (!options.Local) Publish(ClusterMessageType.SocketsJoin, RoomsData(options, rooms));
        return base.AddSocketsAsync(options, rooms, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        if (!options.Local) Publish(ClusterMessageType.SocketsLeave, RoomsData(options, rooms));
        return base.DeleteSocketsAsync(options, rooms, cancellationToken);
    }

    private static byte[] RoomsData(BroadcastOptions options, IReadOnlyCollection<string> rooms) => ClusterJson.Object(w =>
    {
        ClusterJson.WriteOptions(w, options);
        ClusterJson.WriteStrings(w, "rooms", rooms);
    });

    /// <inheritdoc />
    public override ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Local)
        {
            Publish(ClusterMessageType.DisconnectSockets, ClusterJson.Object(w =>
            {
                ClusterJson.WriteOptions(w, options);
                w.WriteBoolean("close", close);
            }));
        }
        return base.DisconnectSocketsAsync(options, close, cancellationToken);
    }

    /// <summary>
    /// The matching sockets of every node. When some node does not answer within the timeout (the options' or
    /// <see cref="RequestTimeout"/>), throws a <see cref="TimeoutException"/>, as the reference rejects: never a hang.
    /// </summary>
    public override async ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = await base.FetchSocketsAsync(options, cancellationToken).ConfigureAwait(false);
        if (options.Local) return local;
        var (expected, from) = await ExpectedResponsesAsync().ConfigureAwait(false);
        if (expected <= 0) return local;

        var requestId = NewRequestId();
        var request = new PendingRequest(ClusterMessageType.FetchSockets, expected, from);
        _requests[requestId] = request;
        try
        {
            Publish(ClusterMessageType.FetchSockets, ClusterJson.Object(w =>
            {
                ClusterJson.WriteOptions(w, options);
                w.WriteString("requestId", requestId);
            }));
            if (!await request.WaitAsync(options.Timeout ?? RequestTimeout, cancellationToken).ConfigureAwait(false))
            {
                int received;
                lock (request) received = request.Answers.Count;
                throw new TimeoutException($"timeout reached: only {received} responses received out of {expected}");
            }
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }

        var sockets = new List<RemoteSocket>(local);
        lock (request)
        {
            foreach (var answer in request.Answers)
            {
                if (answer.ValueKind != JsonValueKind.Array) continue;
                foreach (var item in answer.EnumerateArray())
                {
                    if (ClusterJson.ReadSocket(Namespace, item) is { } socket) sockets.Add(socket);
                }
            }
        }
        return sockets;
    }

    /// <inheritdoc />
    public override ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default)
    {
        var (json, attachments) = SerializeArguments(eventName, args);
        Publish(ClusterMessageType.ServerSideEmit, ClusterJson.Object(w =>
        {
            w.WritePropertyName("packet");
            w.WriteRawValue(json, skipInputValidation: true);
        }), attachments);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<SocketIoArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var (expected, from) = await ExpectedResponsesAsync().ConfigureAwait(false);
        if (expected <= 0) return [];
        var (json, attachments) = SerializeArguments(eventName, args);
        var requestId = NewRequestId();
        var request = new PendingRequest(ClusterMessageType.ServerSideEmit, expected, from);
        _requests[requestId] = request;
        bool complete;
        try
        {
            Publish(ClusterMessageType.ServerSideEmit, ClusterJson.Object(w =>
            {
                w.WriteString("requestId", requestId);
                w.WritePropertyName("packet");
                w.WriteRawValue(json, skipInputValidation: true);
            }), attachments);
            complete = await request.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }

        List<SocketIoArguments> answers;
        lock (request)
        {
            answers = request.Answers.Select(a => CreateArguments(System.Text.Encoding.UTF8.GetBytes("[" + a.GetRawText() + "]"), request.Attachments)).ToList();
        }
        if (!complete) throw new SocketIoAckTimeoutException(answers);
        return answers;
    }

    // ---- Incoming -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Handles a message another node published (the transport calls it for everything it receives on the shared
    /// channels; messages from this node and other namespaces are ignored here). <paramref name="offset"/> is the
    /// transport's position of the message, when it has one.
    /// </summary>
    protected virtual void OnMessage(ClusterMessage message, string? offset = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Namespace != Namespace.Name) return;
        if (offset is not null && RecoversFromLog && OnLoggedMessage(message, offset)) return;
        if (message.Uid == Uid) return;
        if (message.Type is ClusterMessageType.BroadcastClientCount or ClusterMessageType.BroadcastAck
            or ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse)
        {
            OnResponse(message);
            return;
        }
        if (!message.TryGetData(out var data)) return;
        switch (message.Type)
        {
            case ClusterMessageType.Broadcast:
                OnBroadcast(message, data);
                break;
            case ClusterMessageType.SocketsJoin:
                _ = base.AddSocketsAsync(ClusterJson.ReadOptions(data), ClusterJson.ReadStrings(data, "rooms"));
                break;
            case ClusterMessageType.SocketsLeave:
                _ = base.DeleteSocketsAsync(ClusterJson.ReadOptions(data), ClusterJson.ReadStrings(data, "rooms"));
                break;
            case ClusterMessageType.DisconnectSockets:
                _ = base.DisconnectSocketsAsync(ClusterJson.ReadOptions(data), data.TryGetProperty("close", out var close) && close.ValueKind == JsonValueKind.True);
                break;
            case ClusterMessageType.FetchSockets:
                _ = AnswerFetchSocketsAsync(message.Uid, data);
                break;
            case ClusterMessageType.ServerSideEmit:
                OnServerSideEmit(message, data);
                break;
        }
    }

    private void OnBroadcast(ClusterMessage message, JsonElement data)
    {
        if (!data.TryGetProperty("packet", out var p) || p.ValueKind != JsonValueKind.Object
            || !p.TryGetProperty("data", out var packetData) || packetData.ValueKind != JsonValueKind.Array) return;
        var packet = new AdapterPacket(Namespace.Name, System.Text.Encoding.UTF8.GetBytes(packetData.GetRawText()), message.Attachments);
        var options = ClusterJson.ReadOptions(data) with { Local = true };
        if (!data.TryGetProperty("requestId", out var rid) || rid.ValueKind != JsonValueKind.String)
        {
            base.Broadcast(packet, options);
            return;
        }

        var requestId = rid.GetString()!;
        var requester = message.Uid;
        // Acknowledgements that come after the requester's timeout are of no use to it; drop them then.
        var expiry = new CancellationTokenSource(options.Timeout ?? RequestTimeout);
        base.BroadcastWithAck(packet, options,
            count => Respond(requester, ClusterMessageType.BroadcastClientCount, ClusterJson.Object(w =>
            {
                w.WriteString("requestId", requestId);
                w.WriteNumber("clientCount", count);
            })),
            answer =>
            {
                var (json, attachments) = FirstArgument(answer);
                Respond(requester, ClusterMessageType.BroadcastAck, ClusterJson.Object(w =>
                {
                    w.WriteString("requestId", requestId);
                    w.WritePropertyName("packet");
                    w.WriteRawValue(json, skipInputValidation: true);
                }), attachments);
            },
            expiry.Token);
    }

    private static (byte[] Json, IReadOnlyList<ReadOnlyMemory<byte>> Attachments) FirstArgument(SocketIoArguments? answer)
    {
        if (answer is null || answer.Count == 0) return ("null"u8.ToArray(), []);
        return (System.Text.Encoding.UTF8.GetBytes(answer[0].GetRawText()), answer.Attachments);
    }

    private async Task AnswerFetchSocketsAsync(string requester, JsonElement data)
    {
        if (!data.TryGetProperty("requestId", out var rid) || rid.ValueKind != JsonValueKind.String) return;
        var requestId = rid.GetString()!;
        var sockets = await base.FetchSocketsAsync(ClusterJson.ReadOptions(data) with { Local = true }).ConfigureAwait(false);
        var serialized = sockets.Select(s => SerializeArguments(null, [s.Data]).Json).ToList();
        Respond(requester, ClusterMessageType.FetchSocketsResponse, ClusterJson.Object(w =>
        {
            w.WriteString("requestId", requestId);
            w.WriteStartArray("sockets");
            for (var i = 0; i < sockets.Count; i++)
            {
                var array = serialized[i];
                // "[value]" -> value
                ClusterJson.WriteSocket(w, sockets[i].Id, sockets[i].Handshake, sockets[i].Rooms, array.AsSpan(1, array.Length - 2));
            }
            w.WriteEndArray();
        }));
    }

    private void OnServerSideEmit(ClusterMessage message, JsonElement data)
    {
        if (!data.TryGetProperty("packet", out var packet) || packet.ValueKind != JsonValueKind.Array || packet.GetArrayLength() == 0
            || packet[0].ValueKind != JsonValueKind.String) return;
        var eventName = packet[0].GetString()!;
        var args = SocketIoArgumentsFrom(packet, skip: 1, message.Attachments);
        if (!TryHandleServerSideEvent(eventName, args, out var answer)) return;
        if (!data.TryGetProperty("requestId", out var rid) || rid.ValueKind != JsonValueKind.String) return;
        var requestId = rid.GetString()!;
        var requester = message.Uid;
        _ = answer.ContinueWith(t =>
        {
            if (!t.IsCompletedSuccessfully) return;
            var (json, attachments) = SerializeArguments(null, [t.Result]);
            Respond(requester, ClusterMessageType.ServerSideEmitResponse, ClusterJson.Object(w =>
            {
                w.WriteString("requestId", requestId);
                w.WritePropertyName("packet");
                w.WriteRawValue(json.AsSpan(1, json.Length - 2), skipInputValidation: true);
            }), attachments);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private SocketIoArguments SocketIoArgumentsFrom(JsonElement array, int skip, IReadOnlyList<ReadOnlyMemory<byte>> attachments) =>
        SocketIoArguments.Parse(System.Text.Encoding.UTF8.GetBytes(array.GetRawText()), skip, attachments, Namespace.Server.Serializer);

    /// <summary>Handles a response another node sent to this one.</summary>
    protected virtual void OnResponse(ClusterMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.TryGetData(out var data) || !data.TryGetProperty("requestId", out var rid) || rid.ValueKind != JsonValueKind.String) return;
        var requestId = rid.GetString()!;
        switch (response.Type)
        {
            case ClusterMessageType.BroadcastClientCount:
                if (_ackRequests.TryGetValue(requestId, out var countRequest) && data.TryGetProperty("clientCount", out var count) && count.TryGetInt32(out var n))
                {
                    countRequest.ClientCount(n);
                }
                break;
            case ClusterMessageType.BroadcastAck:
                if (_ackRequests.TryGetValue(requestId, out var ackRequest))
                {
                    var value = data.TryGetProperty("packet", out var packet) ? packet.GetRawText() : "null";
                    ackRequest.Ack(CreateArguments(System.Text.Encoding.UTF8.GetBytes("[" + value + "]"), response.Attachments));
                }
                break;
            case ClusterMessageType.FetchSocketsResponse:
                if (_requests.TryGetValue(requestId, out var fetch) && fetch.Type == ClusterMessageType.FetchSockets)
                {
                    fetch.Add(response.Uid, data.TryGetProperty("sockets", out var sockets) ? sockets.Clone() : default, response.Attachments);
                }
                break;
            case ClusterMessageType.ServerSideEmitResponse:
                if (_requests.TryGetValue(requestId, out var emit) && emit.Type == ClusterMessageType.ServerSideEmit)
                {
                    emit.Add(response.Uid, data.TryGetProperty("packet", out var answer) ? answer.Clone() : default, response.Attachments);
                }
                break;
        }
    }

    /// <summary>A node left: the requests waiting for it stop waiting for it.</summary>
    private protected void ForgetNode(string uid)
    {
        foreach (var request in _requests.Values) request.Forget(uid);
    }

    private static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private sealed record AckRequest(Action<int> ClientCount, Action<SocketIoArguments?> Ack);

    /// <summary>A request waiting for other nodes: done when every expected node answered, or at the timeout.</summary>
    private sealed class PendingRequest(ClusterMessageType type, int expected, HashSet<string>? missing)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public ClusterMessageType Type { get; } = type;

        public List<JsonElement> Answers { get; } = [];

        public List<ReadOnlyMemory<byte>> Attachments { get; } = [];

        public void Add(string uid, JsonElement answer, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
        {
            lock (this)
            {
                if (missing is not null && !missing.Remove(uid)) return;
                // Attachments of several answers share one list: renumbering would mean rewriting the JSON, so only
                // the first answer with binaries keeps them (answers are rarely binary).
                if (Attachments.Count == 0) Attachments.AddRange(attachments);
                Answers.Add(answer);
                _received++;
                if (missing is null ? _received >= expected : missing.Count == 0) _done.TrySetResult();
            }
        }

        public void Forget(string uid)
        {
            lock (this)
            {
                if (missing is not null && missing.Remove(uid) && missing.Count == 0) _done.TrySetResult();
            }
        }

        /// <summary>True when every node answered, false at the timeout.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await _done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                // Partial results: the caller returns what came.
                return false;
            }
        }
    }
}
