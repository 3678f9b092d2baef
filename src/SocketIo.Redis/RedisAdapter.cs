using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketIo.Adapters;
using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>
/// A multi-node adapter over Redis pub/sub, speaking the classic protocol of Node's
/// <c>@socket.io/redis-adapter</c> 8.3.0 byte for byte: .NET and Node nodes form one cluster, and
/// <c>@socket.io/redis-emitter</c> reaches both. This node's rooms stay in memory; broadcasts and the other
/// cluster-wide operations also go to the other nodes. Create it with <c>options.UseRedisAdapter(...)</c>.
/// </summary>
public sealed partial class RedisAdapter : InMemoryAdapter
{
    private readonly RedisAdapterConnection _connection;
    private readonly RedisAdapterOptions _options;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly RedisChannel _requestChannel;
    private readonly string _responseChannel;
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckRequest> _ackRequests = new(StringComparer.Ordinal);
    private readonly Task _subscribed;
    private ChannelMessageQueue? _broadcasts;
    private ChannelMessageQueue? _incomingRequests;
    private ChannelMessageQueue? _responses;
    private ChannelMessageQueue? _specificResponses;
    private int _closed;

    internal RedisAdapter(SocketIoNamespace @namespace, RedisAdapterConnection connection, RedisAdapterOptions options)
        : base(@namespace)
    {
        _connection = connection;
        _options = options;
        _logger = @namespace.Server.Logger;
        Uid = NewId();
        _channel = options.Key + "#" + @namespace.Name + "#";
        _requestChannel = RedisChannel.Literal(options.Key + "-request#" + @namespace.Name + "#");
        _responseChannel = options.Key + "-response#" + @namespace.Name + "#";
        connection.AddUser();
        _subscribed = SubscribeAsync();
    }

    /// <summary>This node's id on the wire (6 characters, as the reference's <c>uid2(6)</c>).</summary>
    public string Uid { get; }

    /// <summary>Completes once this adapter listens to its channels; while Redis is unreachable it keeps trying.</summary>
    public Task Subscribed => _subscribed;

    private async Task SubscribeAsync()
    {
        Func<bool> closed = () => Volatile.Read(ref _closed) == 1;
        // One ordered queue per kind: broadcasts are delivered in the order they were published.
        _broadcasts = await _connection.SubscribeAsync(RedisChannel.Pattern(_channel + "*"), closed).ConfigureAwait(false);
        _broadcasts.OnMessage(OnBroadcastMessage);
        _incomingRequests = await _connection.SubscribeAsync(_requestChannel, closed).ConfigureAwait(false);
        _incomingRequests.OnMessage(OnRequestMessage);
        _responses = await _connection.SubscribeAsync(RedisChannel.Literal(_responseChannel), closed).ConfigureAwait(false);
        _responses.OnMessage(OnResponseMessage);
        _specificResponses = await _connection.SubscribeAsync(RedisChannel.Literal(_responseChannel + Uid + "#"), closed).ConfigureAwait(false);
        _specificResponses.OnMessage(OnResponseMessage);
    }

    // ---- Outgoing ---------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public override void Broadcast(AdapterPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Local)
        {
            var channel = _channel;
            if (options.Rooms.Count == 1) channel += options.Rooms.First() + "#";
            PublishAndForget(RedisChannel.Literal(channel), ClassicWire.EncodeBroadcast(Uid, packet, options));
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
            var requestId = NewId();
            _ackRequests[requestId] = new AckRequest(clientCount, ack);
            // The namespace stops waiting at its timeout; answers after that are of no use.
            expired.Register(() => _ackRequests.TryRemove(requestId, out _));
            PublishAndForget(_requestChannel, ClassicWire.EncodeBroadcastRequest(Uid, requestId, packet, options));
        }
        base.BroadcastWithAck(packet, options, clientCount, ack, expired);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var local = await base.FetchSocketsAsync(options, cancellationToken).ConfigureAwait(false);
        if (options.Local) return local;
        var servers = await ServerCountAsync(cancellationToken).ConfigureAwait(false);
        if (servers <= 1) return local;

        var requestId = NewId();
        var request = new PendingRequest(RequestType.RemoteFetch, servers);
        lock (request) request.Sockets.AddRange(local);
        _requests[requestId] = request;
        try
        {
            await PublishAsync(_requestChannel, ClassicWire.Json(w =>
            {
                w.WriteString("uid", Uid);
                w.WriteString("requestId", requestId);
                w.WriteNumber("type", (int)RequestType.RemoteFetch);
                ClassicWire.WriteJsonOptions(w, options);
            })).ConfigureAwait(false);
            await request.Completion.Task.WaitAsync(_options.RequestsTimeout, Namespace.Server.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            int answered;
            lock (request) answered = request.Answers;
            throw new TimeoutException($"timeout reached while waiting for fetchSockets response ({answered} of {servers} nodes answered)");
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
        lock (request) return request.Sockets.ToArray();
    }

    /// <inheritdoc />
    public override async ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        await base.AddSocketsAsync(options, rooms, cancellationToken).ConfigureAwait(false);
        if (options.Local) return;
        await PublishAsync(_requestChannel, ClassicWire.Json(w =>
        {
            w.WriteString("uid", Uid);
            w.WriteNumber("type", (int)RequestType.RemoteJoin);
            ClassicWire.WriteJsonOptions(w, options);
            ClassicWire.WriteStrings(w, "rooms", rooms);
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DeleteSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        await base.DeleteSocketsAsync(options, rooms, cancellationToken).ConfigureAwait(false);
        if (options.Local) return;
        await PublishAsync(_requestChannel, ClassicWire.Json(w =>
        {
            w.WriteString("uid", Uid);
            w.WriteNumber("type", (int)RequestType.RemoteLeave);
            ClassicWire.WriteJsonOptions(w, options);
            ClassicWire.WriteStrings(w, "rooms", rooms);
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close, CancellationToken cancellationToken = default)
    {
        await base.DisconnectSocketsAsync(options, close, cancellationToken).ConfigureAwait(false);
        if (options.Local) return;
        await PublishAsync(_requestChannel, ClassicWire.Json(w =>
        {
            w.WriteString("uid", Uid);
            w.WriteNumber("type", (int)RequestType.RemoteDisconnect);
            ClassicWire.WriteJsonOptions(w, options);
            w.WriteBoolean("close", close);
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default)
    {
        var data = SerializeServerSideEvent(eventName, args);
        await PublishAsync(_requestChannel, ClassicWire.Json(w =>
        {
            w.WriteString("uid", Uid);
            w.WriteNumber("type", (int)RequestType.ServerSideEmit);
            w.WritePropertyName("data");
            w.WriteRawValue(data, skipInputValidation: true);
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<SocketIoArguments>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var data = SerializeServerSideEvent(eventName, args);
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0) return [];

        var requestId = NewId();
        var request = new PendingRequest(RequestType.ServerSideEmit, others);
        _requests[requestId] = request;
        try
        {
            await PublishAsync(_requestChannel, ClassicWire.Json(w =>
            {
                w.WriteString("uid", Uid);
                w.WriteString("requestId", requestId);
                w.WriteNumber("type", (int)RequestType.ServerSideEmit);
                w.WritePropertyName("data");
                w.WriteRawValue(data, skipInputValidation: true);
            })).ConfigureAwait(false);
            await request.Completion.Task.WaitAsync(timeout, Namespace.Server.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (request) throw new SocketIoAckTimeoutException(request.Answered.ToArray());
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
        lock (request) return request.Answered.ToArray();
    }

    /// <summary>The number of nodes subscribed to this namespace's request channel (<c>PUBSUB NUMSUB</c>), this one included.</summary>
    public override async ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default)
    {
        var result = await _connection.Multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", (RedisValue)_requestChannel.ToString()).WaitAsync(cancellationToken).ConfigureAwait(false);
        var values = (RedisResult[])result!;
        return values.Length >= 2 ? (int)values[1] : 0;
    }

    /// <inheritdoc />
    public override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        try
        {
            await _subscribed.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Never subscribed: nothing to undo.
        }
        foreach (var queue in new[] { _broadcasts, _incomingRequests, _responses, _specificResponses })
        {
            if (queue is null) continue;
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis is gone: the subscription went with the connection.
            }
        }
        await _connection.ReleaseAsync().ConfigureAwait(false);
    }

    private byte[] SerializeServerSideEvent(string eventName, object?[] args)
    {
        var (json, attachments) = SerializeArguments(eventName, args);
        // The classic protocol sends server-side events as JSON: binary values have no place there.
        if (attachments.Count > 0) throw new ArgumentException("Server-side events over the Redis adapter cannot carry binary values.", nameof(args));
        return json;
    }

    // ---- Incoming ---------------------------------------------------------------------------------------------

    private void OnBroadcastMessage(ChannelMessage message)
    {
        var channel = message.Channel.ToString();
        if (!channel.StartsWith(_channel, StringComparison.Ordinal) || channel.Length <= _channel.Length - 1) return;
        var room = channel.Length > _channel.Length ? channel[_channel.Length..^1] : "";
        // A broadcast to one room this node has no member of: nothing to decode.
        if (room.Length > 0 && !HasRoom(room)) return;
        var bytes = (ReadOnlyMemory<byte>)message.Message;
        if (!ClassicWire.TryDecodeBroadcast(bytes, out var uid, out var packet, out var options))
        {
            Log.MalformedMessage(_logger, channel);
            return;
        }
        if (uid == Uid || packet!.Namespace != Namespace.Name) return;
        try
        {
            base.Broadcast(packet, options! with { Local = true });
        }
        catch (Exception ex)
        {
            Log.HandlingFailed(_logger, channel, ex);
        }
    }

    private void OnRequestMessage(ChannelMessage message)
    {
        var request = ClassicWire.TryDecodeMessage((ReadOnlyMemory<byte>)message.Message);
        if (request is null)
        {
            Log.MalformedMessage(_logger, message.Channel.ToString());
            return;
        }
        try
        {
            HandleRequest(request);
        }
        catch (Exception ex)
        {
            Log.HandlingFailed(_logger, message.Channel.ToString(), ex);
        }
        finally
        {
            // A server-side event handler may keep its arguments: they are copied out of the document first.
            request.Document?.Dispose();
        }
    }

    private void HandleRequest(ClusterMessage request)
    {
        switch (request.Type)
        {
            case RequestType.Sockets:
                if (request.RequestId is null || _requests.ContainsKey(request.RequestId)) return;
                var ids = SocketIds(BroadcastOptions.Everyone with { Rooms = [.. request.Rooms] });
                PublishResponse(request, ClassicWire.Json(w =>
                {
                    w.WriteString("requestId", request.RequestId);
                    ClassicWire.WriteStrings(w, "sockets", ids);
                }));
                break;

            case RequestType.AllRooms:
                if (request.RequestId is null || _requests.ContainsKey(request.RequestId)) return;
                var rooms = Rooms;
                PublishResponse(request, ClassicWire.Json(w =>
                {
                    w.WriteString("requestId", request.RequestId);
                    ClassicWire.WriteStrings(w, "rooms", rooms);
                }));
                break;

            case RequestType.RemoteJoin:
            case RequestType.RemoteLeave:
            case RequestType.RemoteDisconnect:
                HandleRoomRequest(request);
                break;

            case RequestType.RemoteFetch:
                if (request.RequestId is null || _requests.ContainsKey(request.RequestId)) return;
                var sockets = base.FetchSocketsAsync(request.Options ?? BroadcastOptions.Everyone).AsTask().Result;
                var json = Namespace.Server.Options.JsonSerializerOptions;
                PublishResponse(request, ClassicWire.Json(w =>
                {
                    w.WriteString("requestId", request.RequestId);
                    w.WriteStartArray("sockets");
                    foreach (var socket in sockets) RemoteSocketJson.Write(w, socket, json);
                    w.WriteEndArray();
                }));
                break;

            case RequestType.ServerSideEmit:
                HandleServerSideEmit(request);
                break;

            case RequestType.Broadcast:
                if (request.RequestId is null || request.Packet is null || _ackRequests.ContainsKey(request.RequestId) || request.Uid == Uid) return;
                var requestId = request.RequestId;
                var options = (request.Options ?? BroadcastOptions.Everyone) with { Local = true };
                var expiry = new CancellationTokenSource(options.Timeout ?? _options.RequestsTimeout, Namespace.Server.TimeProvider);
                base.BroadcastWithAck(request.Packet, options,
                    count => PublishResponse(request, ClassicWire.Json(w =>
                    {
                        w.WriteNumber("type", (int)RequestType.BroadcastClientCount);
                        w.WriteString("requestId", requestId);
                        w.WriteNumber("clientCount", count);
                    })),
                    answer =>
                    {
                        // A recipient that left never answers; the requesting node's timeout covers it.
                        if (answer is not null) PublishResponse(request, ClassicWire.EncodeBroadcastAck(requestId, answer));
                    },
                    expiry.Token);
                break;
        }
    }

    private void HandleRoomRequest(ClusterMessage request)
    {
        // Our own requests were carried out locally when they were made.
        if (request.Uid == Uid) return;
        if (request.Options is { } options)
        {
            var local = options with { Local = true };
            var done = request.Type switch
            {
                RequestType.RemoteJoin => base.AddSocketsAsync(local, request.Rooms),
                RequestType.RemoteLeave => base.DeleteSocketsAsync(local, request.Rooms),
                _ => base.DisconnectSocketsAsync(local, request.Close),
            };
            done.AsTask().GetAwaiter().GetResult();
            return;
        }

        // The legacy form: one socket by id, answered when it is here.
        if (request.SocketId is null || !Namespace.TryGetSocket(request.SocketId, out var socket)) return;
        switch (request.Type)
        {
            case RequestType.RemoteJoin when request.Room is not null:
                socket.Join(request.Room);
                break;
            case RequestType.RemoteLeave when request.Room is not null:
                socket.Leave(request.Room);
                break;
            case RequestType.RemoteDisconnect:
                socket.Disconnect(request.Close);
                break;
        }
        if (request.RequestId is not null) PublishResponse(request, ClassicWire.Json(w => w.WriteString("requestId", request.RequestId)));
    }

    private void HandleServerSideEmit(ClusterMessage request)
    {
        if (request.Uid == Uid || !request.HasData || request.Data.ValueKind != JsonValueKind.Array || request.Data.GetArrayLength() == 0) return;
        if (request.Data[0].ValueKind != JsonValueKind.String) return;
        var eventName = request.Data[0].GetString()!;
        var args = SocketIoArguments.Parse(JsonSerializer.SerializeToUtf8Bytes(request.Data), 1, [], Namespace.Server.Serializer);
        if (!TryHandleServerSideEvent(eventName, args, out var answer) || request.RequestId is null) return;
        var requestId = request.RequestId;
        answer.ContinueWith(task =>
        {
            if (!task.IsCompletedSuccessfully) return;
            var value = JsonSerializer.SerializeToUtf8Bytes(task.Result, Namespace.Server.Options.JsonSerializerOptions);
            // As the reference: server-side answers go to the shared response channel.
            PublishAndForget(RedisChannel.Literal(_responseChannel), ClassicWire.Json(w =>
            {
                w.WriteNumber("type", (int)RequestType.ServerSideEmit);
                w.WriteString("requestId", requestId);
                w.WritePropertyName("data");
                w.WriteRawValue(value, skipInputValidation: true);
            }));
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnResponseMessage(ChannelMessage message)
    {
        var response = ClassicWire.TryDecodeMessage((ReadOnlyMemory<byte>)message.Message);
        if (response?.RequestId is null) return;
        try
        {
            HandleResponse(response);
        }
        catch (Exception ex)
        {
            Log.HandlingFailed(_logger, message.Channel.ToString(), ex);
        }
        finally
        {
            response.Document?.Dispose();
        }
    }

    private void HandleResponse(ClusterMessage response)
    {
        var requestId = response.RequestId!;
        if (_ackRequests.TryGetValue(requestId, out var ackRequest))
        {
            switch (response.Type)
            {
                case RequestType.BroadcastClientCount:
                    ackRequest.ClientCount(response.ClientCount);
                    break;
                case RequestType.BroadcastAck when response.AckJson is not null:
                    ackRequest.Ack(SocketIoArguments.Parse(response.AckJson, 0, response.AckAttachments!, Namespace.Server.Serializer));
                    break;
            }
            return;
        }
        if (!_requests.TryGetValue(requestId, out var request)) return;
        lock (request)
        {
            switch (request.Type)
            {
                case RequestType.RemoteFetch:
                    request.Answers++;
                    if (response.HasData && response.Data.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var socket in response.Data.EnumerateArray())
                        {
                            if (RemoteSocketJson.TryRead(Namespace, socket) is { } remote) request.Sockets.Add(remote);
                        }
                    }
                    // The local node counts as the first answer, as in the reference.
                    if (request.Answers + 1 >= request.Expected) request.Completion.TrySetResult();
                    break;
                case RequestType.ServerSideEmit:
                    var answer = response.HasData ? JsonSerializer.SerializeToUtf8Bytes(new[] { response.Data }) : "[null]"u8.ToArray();
                    request.Answered.Add(SocketIoArguments.Parse(answer, 0, [], Namespace.Server.Serializer));
                    if (request.Answered.Count >= request.Expected) request.Completion.TrySetResult();
                    break;
            }
        }
    }

    // ---- Publishing -------------------------------------------------------------------------------------------

    private void PublishResponse(ClusterMessage request, byte[] response)
    {
        var channel = _options.PublishOnSpecificResponseChannel ? _responseChannel + (request.Uid ?? "undefined") + "#" : _responseChannel;
        PublishAndForget(RedisChannel.Literal(channel), response);
    }

    private Task PublishAsync(RedisChannel channel, byte[] message) => _connection.Subscriber.PublishAsync(channel, message);

    private void PublishAndForget(RedisChannel channel, byte[] message)
    {
        Task task;
        try
        {
            task = PublishAsync(channel, message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PublishFailed(_logger, channel.ToString(), ex);
            return;
        }
        if (task.IsCompletedSuccessfully) return;
        // During an outage this node keeps serving its own clients: a lost publish is logged at debug level, the
        // outage itself once by the connection.
        task.ContinueWith(static (t, state) =>
        {
            var (adapter, name) = ((RedisAdapter, string))state!;
            Log.PublishFailed(adapter._logger, name, t.Exception!.GetBaseException());
        }, (this, channel.ToString()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A random id of 6 characters from [A-Za-z0-9], as the reference's <c>uid2(6)</c>.</summary>
    internal static string NewId() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 6);

    private sealed record AckRequest(Action<int> ClientCount, Action<SocketIoArguments?> Ack);

    private sealed class PendingRequest(RequestType type, int expected)
    {
        public RequestType Type { get; } = type;

        public int Expected { get; } = expected;

        public int Answers { get; set; }

        public List<RemoteSocket> Sockets { get; } = [];

        public List<SocketIoArguments> Answered { get; } = [];

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
