using System.Collections.Immutable;
using System.Text.Json;
using SocketIo.Adapters;
using SocketIo.Internal.Serialization;
using SocketIo.Redis.Internal;
using StackExchange.Redis;

namespace SocketIo.Redis;

/// <summary>
/// Sends to the clients of a Socket.IO cluster (.NET nodes with <see cref="RedisAdapter"/>, Node nodes with
/// <c>@socket.io/redis-adapter</c>) from any process, without a server: what <c>@socket.io/redis-emitter</c> does,
/// on the same wire. Immutable: <see cref="Of"/>, <see cref="To(string)"/>, <see cref="Except(string)"/> and
/// <see cref="Volatile"/> return a new emitter.
/// </summary>
/// <example><code>new RedisEmitter(multiplexer).To("room").Emit("news", item);</code></example>
public sealed class RedisEmitter
{
    // The uid the reference emitter puts on its messages: no node has it, so every node delivers them.
    private const string EmitterUid = "emitter";

    private readonly ISubscriber _subscriber;
    private readonly PayloadSerializer _serializer;
    private readonly string _key;
    private readonly string _namespace;
    private readonly BroadcastOptions _options;

    /// <summary>Creates an emitter for the main namespace <c>/</c>.</summary>
    /// <param name="redis">The connection (the caller's: the emitter never closes it).</param>
    /// <param name="key">The channel prefix of the cluster's adapters (default <c>socket.io</c>).</param>
    /// <param name="jsonSerializerOptions">How arguments are serialized (default: System.Text.Json's web defaults, as the server).</param>
    public RedisEmitter(IConnectionMultiplexer redis, string key = RedisAdapterOptions.DefaultKey, JsonSerializerOptions? jsonSerializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(key);
        _subscriber = redis.GetSubscriber();
        _serializer = new PayloadSerializer(jsonSerializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web), null);
        _key = key;
        _namespace = "/";
        _options = BroadcastOptions.Everyone;
    }

    private RedisEmitter(RedisEmitter from, string @namespace, BroadcastOptions options)
    {
        _subscriber = from._subscriber;
        _serializer = from._serializer;
        _key = from._key;
        _namespace = @namespace;
        _options = options;
    }

    /// <summary>An emitter for namespace <paramref name="namespace"/> (rooms and flags start empty).</summary>
    public RedisEmitter Of(string @namespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new RedisEmitter(this, @namespace.StartsWith('/') ? @namespace : "/" + @namespace, BroadcastOptions.Everyone);
    }

    /// <summary>Targets the sockets in <paramref name="room"/> (added to the rooms already targeted).</summary>
    public RedisEmitter To(string room) => With(_options with { Rooms = _options.Rooms.Add(room) });

    /// <summary>Targets the sockets in any of <paramref name="rooms"/>.</summary>
    public RedisEmitter To(IEnumerable<string> rooms) => With(_options with { Rooms = _options.Rooms.Union(rooms) });

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public RedisEmitter In(string room) => To(room);

    /// <summary>Leaves out the sockets in <paramref name="room"/>.</summary>
    public RedisEmitter Except(string room) => With(_options with { Except = _options.Except.Add(room) });

    /// <summary>Leaves out the sockets in any of <paramref name="rooms"/>.</summary>
    public RedisEmitter Except(IEnumerable<string> rooms) => With(_options with { Except = _options.Except.Union(rooms) });

    /// <summary>Drops the packet for clients that cannot take it right now.</summary>
    public RedisEmitter Volatile => With(_options with { Volatile = true });

    /// <summary>Whether the transport may compress the packet.</summary>
    public RedisEmitter Compress(bool compress) => With(_options with { Compress = compress });

    private RedisEmitter With(BroadcastOptions options) => new(this, _namespace, options);

    /// <summary>Emits an event to the targeted sockets of every node; completes once Redis took the message.</summary>
    public Task EmitAsync(string eventName, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (IsReserved(eventName)) throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        var (json, attachments) = _serializer.SerializeArray(eventName, args);
        var message = ClassicWire.EncodeBroadcast(EmitterUid, new AdapterPacket(_namespace, json, attachments), _options);
        var channel = _key + "#" + _namespace + "#";
        if (_options.Rooms.Count == 1) channel += _options.Rooms.First() + "#";
        return _subscriber.PublishAsync(RedisChannel.Literal(channel), message);
    }

    /// <summary>Emits an event without waiting for Redis (as the reference's <c>emit</c>); always true.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        _ = EmitAsync(eventName, args).ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return true;
    }

    /// <summary>Makes the targeted sockets of every node join <paramref name="rooms"/>.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => RoomRequestAsync(RequestType.RemoteJoin, rooms);

    /// <summary>Makes the targeted sockets of every node leave <paramref name="rooms"/>.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => RoomRequestAsync(RequestType.RemoteLeave, rooms);

    /// <summary>Disconnects the targeted sockets of every node; with <paramref name="close"/>, closes their connections.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => RequestAsync(ClassicWire.Json(w =>
    {
        w.WriteNumber("type", (int)RequestType.RemoteDisconnect);
        ClassicWire.WriteJsonOptions(w, _options);
        w.WriteBoolean("close", close);
    }));

    /// <summary>Sends a server-side event to every node of the namespace (no acknowledgements, as the reference).</summary>
    public Task ServerSideEmitAsync(string eventName, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var (json, attachments) = _serializer.SerializeArray(eventName, args);
        if (attachments.Count > 0) throw new ArgumentException("Server-side events cannot carry binary values.", nameof(args));
        return RequestAsync(ClassicWire.Json(w =>
        {
            w.WriteString("uid", EmitterUid);
            w.WriteNumber("type", (int)RequestType.ServerSideEmit);
            w.WritePropertyName("data");
            w.WriteRawValue(json, skipInputValidation: true);
        }));
    }

    private Task RoomRequestAsync(RequestType type, string[] rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return RequestAsync(ClassicWire.Json(w =>
        {
            w.WriteNumber("type", (int)type);
            ClassicWire.WriteJsonOptions(w, _options);
            ClassicWire.WriteStrings(w, "rooms", rooms);
        }));
    }

    private Task RequestAsync(byte[] request) => _subscriber.PublishAsync(RedisChannel.Literal(_key + "-request#" + _namespace + "#"), request);

    private static bool IsReserved(string name) => name is "connect" or "connect_error" or "disconnect" or "disconnecting" or "newListener" or "removeListener";
}
