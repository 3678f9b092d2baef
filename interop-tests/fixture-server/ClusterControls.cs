using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIo;
using SocketIo.Postgres;
using SocketIo.Redis;
using StackExchange.Redis;

namespace FixtureServer;

/// <summary>
/// With <c>--redis</c> (or <c>--postgres</c>): the node joins a cluster through that adapter, and the clients suite
/// gains commands that drive the cluster-wide server API from a client (for interop-tests/cluster):
/// <list type="bullet">
/// <item><c>set-data</c> {data} (ack): sets the socket's data.</item>
/// <item><c>cluster-fetch</c> {to?} (ack): the sockets of the cluster, as {id, rooms, data, url, auth, query, local}.</item>
/// <item><c>cluster-join</c>/<c>cluster-leave</c> {to?, rooms} and <c>cluster-disconnect</c> {to?, close} (ack once sent).</item>
/// <item><c>cluster-server-side-emit</c> {event, args, withAck, timeoutMs} (ack: {answers, timedOut}).</item>
/// <item><c>cluster-count</c> (ack): the number of nodes.</item>
/// <item><c>redis-emit</c> {nsp?, to?, except?, event, args} (ack once published): through a <see cref="RedisEmitter"/> (Redis only).</item>
/// </list>
/// Server-side events "hello" (from other nodes) are relayed to this node's clients as <c>server-side</c>
/// {event, args}; "ask" is answered with {node: "dotnet", port, args}.
/// </summary>
internal static class ClusterControls
{
    public static bool Enabled { get; private set; }

    public static bool Configure(IServiceCollection services, FixtureSettings settings)
    {
        if (settings.Postgres is not null)
        {
            // @socket.io/postgres-adapter's defaults; the clients suite's redis-emit command is not there.
            Enabled = true;
            services.AddSocketIoPostgresAdapter(o => o.ConnectionString = settings.Postgres);
            return true;
        }
        if (settings.RedisMode is not ("classic" or "sharded" or "streams"))
        {
            Console.Error.WriteLine($"--redis-mode {settings.RedisMode} is not supported (expected classic, sharded or streams)");
            return false;
        }
        Enabled = true;
        var connection = ConnectionMultiplexer.Connect(RedisFromUrl(settings.Redis!));
        services.AddSingleton<IConnectionMultiplexer>(connection);
        // sharded: createShardedAdapter's default subscription mode, dynamic.
        if (settings.RedisMode == "sharded") services.AddSocketIoShardedRedisAdapter(o => o.SubscriptionMode = ShardedSubscriptionMode.Dynamic);
        // streams: @socket.io/redis-streams-adapter's defaults, with a short block time so that the node stops quickly.
        else if (settings.RedisMode == "streams")
        {
            services.AddSocketIoRedisStreamsAdapter(o =>
            {
                o.BlockTime = TimeSpan.FromSeconds(1);
                o.StreamCount = settings.StreamCount;
                o.UseShardedPubSub = settings.ShardedPubSub;
            });
        }
        else services.AddSocketIoRedisAdapter();
        return true;
    }

    // The fixture accepts both forms; the library does too, through the configuration-string overload. Here the
    // multiplexer is shared with the emitter command, so it is made from the same text.
    private static ConfigurationOptions RedisFromUrl(string text)
    {
        ConfigurationOptions options;
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            var url = new Uri(text);
            options = new ConfigurationOptions();
            options.EndPoints.Add(url.Host, url.Port > 0 ? url.Port : 6379);
        }
        else
        {
            options = ConfigurationOptions.Parse(text);
        }
        options.AbortOnConnectFail = false;
        return options;
    }

    public static void Setup(SocketIoServer io, IServiceProvider services)
    {
        var redis = services.GetService<IConnectionMultiplexer>();
        var emitter = redis is null ? null : new RedisEmitter(redis);
        // Relayed to this node's own clients only: a cluster-wide emit would reach every client once per .NET node,
        // and a late second copy would be taken for the next relay by the test.
        io.OnServerSideEvent("hello", args => io.Local.Emit("server-side", new { @event = "hello", args = args.ToArray() }));
        io.OnServerSideEvent("ask", args => Task.FromResult<object?>(new { node = "dotnet", args = args.ToArray() }));
        io.OnConnection(socket =>
        {
            socket.On("set-data", e =>
            {
                socket.Data = RequestOf(e)["data"]?.DeepClone();
                e.Ack?.Send("done");
            });
            socket.On("cluster-fetch", async e =>
            {
                var sockets = await Target(io, RequestOf(e)).FetchSocketsAsync();
                e.Ack?.Send((object)sockets.Select(s => new
                {
                    id = s.Id,
                    rooms = s.Rooms.Order(StringComparer.Ordinal).ToArray(),
                    data = s.Data,
                    url = s.Handshake.Url,
                    auth = s.Handshake.Auth,
                    query = s.Handshake.Query,
                    local = s.IsLocal,
                }).ToArray());
            });
            socket.On("cluster-join", async e =>
            {
                var request = RequestOf(e);
                await Target(io, request).SocketsJoinAsync(Strings(request["rooms"]));
                e.Ack?.Send("done");
            });
            socket.On("cluster-leave", async e =>
            {
                var request = RequestOf(e);
                await Target(io, request).SocketsLeaveAsync(Strings(request["rooms"]));
                e.Ack?.Send("done");
            });
            socket.On("cluster-disconnect", async e =>
            {
                var request = RequestOf(e);
                e.Ack?.Send("done");
                await Target(io, request).DisconnectSocketsAsync(request["close"] is JsonValue close && (bool)close);
            });
            socket.On("cluster-count", async e => e.Ack?.Send(await io.ServerCountAsync()));
            socket.On("cluster-server-side-emit", async e =>
            {
                var request = RequestOf(e);
                var name = (string)request["event"]!;
                var args = request["args"] is JsonArray list ? list.Select(a => (object?)a).ToArray() : [];
                if (request["withAck"] is not JsonValue withAck || !(bool)withAck)
                {
                    io.ServerSideEmit(name, args);
                    e.Ack?.Send(new { answers = Array.Empty<object>(), timedOut = false });
                    return;
                }
                var timeout = TimeSpan.FromMilliseconds(request["timeoutMs"] is JsonValue t ? (double)t : 2000);
                try
                {
                    var answers = await io.ServerSideEmitWithAckAsync(name, args, timeout);
                    e.Ack?.Send(new { answers = answers.Select(a => a.Count > 0 ? (object?)a[0].Clone() : null).ToArray(), timedOut = false });
                }
                catch (SocketIoAckTimeoutException ex)
                {
                    e.Ack?.Send(new { answers = ex.Responses.Select(a => a.Count > 0 ? (object?)a[0].Clone() : null).ToArray(), timedOut = true });
                }
            });
            if (emitter is not null) socket.On("redis-emit", async e =>
            {
                var request = RequestOf(e);
                var target = request["nsp"] is JsonValue nsp ? emitter.Of((string)nsp!) : emitter;
                foreach (var room in Strings(request["to"])) target = target.To(room);
                foreach (var room in Strings(request["except"])) target = target.Except(room);
                var args = request["args"] is JsonArray list ? list.Select(a => (object?)a).ToArray() : [];
                await target.EmitAsync((string)request["event"]!, args);
                e.Ack?.Send("done");
            });
        });
    }

    private static BroadcastOperator Target(SocketIoServer io, JsonObject request)
    {
        var target = io.Compress(true);
        foreach (var room in Strings(request["to"])) target = target.To(room);
        foreach (var room in Strings(request["except"])) target = target.Except(room);
        return target;
    }

    private static string[] Strings(JsonNode? node) => node is JsonArray array ? array.Select(r => (string)r!).ToArray() : [];

    private static JsonObject RequestOf(SocketIoEvent e) => e.Args.ToArray() is [JsonObject request, ..] ? request : [];
}
