using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MarketplaceEvents.Cluster;
using MarketplaceEvents.Presence;
using MarketplaceEvents.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using SocketIo.Redis.Tests;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>
/// Two instances of the service as two nodes of a cluster: one Redis (<c>Realtime:Redis</c>) and one SQLite file.
/// What the nodes must agree on (presence, the per-user connection limit, the per-IP connection rate, the offline
/// queue, idempotent <c>clientMessageId</c>) holds across them, also when one of them dies without cleaning up.
/// </summary>
public sealed class ClusterStateTests
{
    // Short heartbeats, so that a dead node is noticed within about 1.2 s.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(1);
    // Nothing more should arrive: how long a test listens to be confident of that.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    [RedisFact]
    public async Task A_user_connected_to_two_nodes_comes_online_once_and_goes_offline_once()
    {
        await using var cluster = await Cluster.StartAsync(2);
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await cluster.CreateConversationAsync(a, "cs-watcher", "cs-user");
        await using var watcher = await ConnectAsync(a, "cs-watcher");

        await using (var first = await ConnectAsync(a, "cs-user"))
        {
            (await watcher.ReceiveStartingWithAsync(PresenceOf("cs-user"))).Should().Contain("\"status\":\"online\"");
            await using (var second = await ConnectAsync(b, "cs-user"))
            {
                await NothingStartingWithAsync(watcher, PresenceOf("cs-user"), "a second connection on another node is no change");
            }
            await NothingStartingWithAsync(watcher, PresenceOf("cs-user"), "the user is still connected to node A");
        }
        (await watcher.ReceiveStartingWithAsync(PresenceOf("cs-user"))).Should().Contain("\"status\":\"offline\"");
        await NothingStartingWithAsync(watcher, PresenceOf("cs-user"), "one offline, not one per node");
    }

    [RedisFact]
    public async Task Two_nodes_racing_for_a_user_s_first_connection_announce_it_once()
    {
        await using var cluster = await Cluster.StartAsync(2);
        await cluster.CreateConversationAsync(cluster.Nodes[0], "race-watcher", "race-user");
        await using var watcher = await ConnectAsync(cluster.Nodes[0], "race-watcher");

        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => ConnectAsync(cluster.Nodes[i % 2], "race-user")));
        try
        {
            (await watcher.ReceiveStartingWithAsync(PresenceOf("race-user"))).Should().Contain("\"status\":\"online\"");
            await NothingStartingWithAsync(watcher, PresenceOf("race-user"), "six connections at once on two nodes are one change");
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
        (await watcher.ReceiveStartingWithAsync(PresenceOf("race-user"))).Should().Contain("\"status\":\"offline\"");
        await NothingStartingWithAsync(watcher, PresenceOf("race-user"), "six closes at once on two nodes are one change");
    }

    [RedisFact]
    public async Task The_per_user_connection_limit_counts_the_connections_on_every_node()
    {
        await using var cluster = await Cluster.StartAsync(2, ("Limits:ConnectionsPerUser", "3"));
        var token = MarketplaceHost.Token("limited", "user");

        // Eight at once, four per node: the count in Redis is atomic, so exactly three get in.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => TryConnectAsync(cluster.Nodes[i % 2], token)));
        try
        {
            attempts.Count(a => a.Accepted).Should().Be(3);
            (await cluster.Nodes[1].Services.GetRequiredService<IPresenceRegistry>().ConnectionsOfAsync("limited")).Should().Be(3);

            // At the limit, the handshake itself is refused on either node.
            var (late, reply) = await RawSocketClient.ConnectAsync(cluster.Nodes[0], RawSocketClient.BearerAuth(token));
            await using var _ = late;
            reply.Should().StartWith("44").And.Contain("RATE_LIMIT");
        }
        finally
        {
            await Task.WhenAll(attempts.Select(a => a.Client.DisposeAsync().AsTask()));
        }
    }

    [RedisFact]
    public async Task The_per_ip_connection_rate_counts_the_connections_to_every_node()
    {
        await using var cluster = await Cluster.StartAsync(2, ("Limits:ConnectionsPerIp", "3"));
        var clients = new List<RawSocketClient>();
        try
        {
            foreach (var node in new[] { 0, 1, 0 })
            {
                var (client, reply) = await RawSocketClient.ConnectAsync(cluster.Nodes[node], RawSocketClient.BearerAuth(MarketplaceHost.Token("ip-" + clients.Count, "user")));
                clients.Add(client);
                reply.Should().StartWith("40{");
            }
            var (refused, refusal) = await RawSocketClient.ConnectAsync(cluster.Nodes[1], RawSocketClient.BearerAuth(MarketplaceHost.Token("ip-last", "user")));
            clients.Add(refused);
            refusal.Should().StartWith("44").And.Contain("\"code\":\"RATE_LIMIT\"").And.Contain("\"retryAfter\":", "node B counts the connections node A took");
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [RedisFact]
    public async Task A_notification_reaches_a_user_online_on_another_node_and_waits_for_one_offline_until_it_comes_back_there()
    {
        await using var cluster = await Cluster.StartAsync(2);
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);

        await using (var online = await ConnectAsync(b, "notified"))
        {
            (await SendNotificationAsync(a, "notified", "while online")).Should().Be(HttpStatusCode.Created);
            (await online.ReceiveStartingWithAsync("42[\"notification.user\"")).Should().Contain("while online", "node A sees the user online on node B");
        }
        // Offline on every node: node A queues it (in the shared database) for the replay.
        await WaitUntilAsync(async () => !await a.Services.GetRequiredService<IPresenceRegistry>().IsOnlineAsync("notified"));
        (await SendNotificationAsync(a, "notified", "while offline")).Should().Be(HttpStatusCode.Created);

        // Not ConnectAsync: the replay comes before anything the client could ask.
        var (back, reply) = await RawSocketClient.ConnectAsync(b, RawSocketClient.BearerAuth(MarketplaceHost.Token("notified", "user")));
        await using var _ = back;
        reply.Should().StartWith("40{");
        var replayed = await back.ReceiveStartingWithAsync("42[\"notification.user\"");
        replayed.Should().Contain("while offline");
        await NothingStartingWithAsync(back, "42[\"notification.user\"", "the notification delivered while online is not replayed");
    }

    [RedisFact]
    public async Task The_same_client_message_id_sent_to_two_nodes_at_once_stores_one_message_and_both_get_its_ack()
    {
        await using var cluster = await Cluster.StartAsync(2);
        await SendTheSameMessageToTwoNodesAsync(cluster);
    }

    [RedisAndPostgresFact]
    public async Task The_same_client_message_id_sent_to_two_nodes_at_once_stores_one_message_on_PostgreSQL()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateSchemaAsync();
        await using var cluster = await Cluster.StartAsync(2, ("Storage:Postgres", connectionString));
        await SendTheSameMessageToTwoNodesAsync(cluster);
    }

    private static async Task SendTheSameMessageToTwoNodesAsync(Cluster cluster)
    {
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var conversation = await cluster.CreateConversationAsync(a, "idem-sender", "idem-recipient");
        await using var recipient = await ConnectAsync(b, "idem-recipient");
        await using var onA = await ConnectAsync(a, "idem-sender");
        await using var onB = await ConnectAsync(b, "idem-sender");

        var send = $$"""{"conversationId":"{{conversation}}","content":"once","clientMessageId":"same-id"}""";
        await Task.WhenAll(onA.EmitAsync("chat.send", send, ackId: 1), onB.EmitAsync("chat.send", send, ackId: 1));
        var acks = await Task.WhenAll(onA.ReceiveStartingWithAsync("431"), onB.ReceiveStartingWithAsync("431"));

        acks[0].Should().StartWith("""431[{"ok":true""");
        acks[1].Should().Be(acks[0], "the second gets the first's message");
        (await recipient.ReceiveStartingWithAsync("42[\"chat.message\"")).Should().Contain("\"content\":\"once\"");
        await NothingStartingWithAsync(recipient, "42[\"chat.message\"", "one message, delivered once");

        await onA.EmitAsync("chat.history", $$"""{"conversationId":"{{conversation}}"}""", ackId: 2);
        var history = await onA.ReceiveStartingWithAsync("432");
        history.Split("\"content\":\"once\"").Length.Should().Be(2, "one row in the database");
    }

    [RedisFact]
    public async Task A_node_that_dies_without_cleaning_up_has_its_users_announced_offline_once_within_the_bound()
    {
        await using var cluster = await Cluster.StartAsync(2);
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await cluster.CreateConversationAsync(a, "dead-watcher", "dead-only");
        await cluster.CreateConversationAsync(a, "dead-watcher", "dead-both");
        await using var watcher = await ConnectAsync(a, "dead-watcher");
        var onlyOnB = await ConnectAsync(b, "dead-only");
        var bothOnB = await ConnectAsync(b, "dead-both");
        await using var bothOnA = await ConnectAsync(a, "dead-both");
        await watcher.ReceiveStartingWithAsync(PresenceOf("dead-only"));
        await watcher.ReceiveStartingWithAsync(PresenceOf("dead-both"));

        // Node B loses Redis, then stops: its heartbeat lapses and nothing of its own cleanup reaches Redis, as after
        // a kill -9 (its clients' connections drop with it).
        var died = Stopwatch.StartNew();
        await cluster.KillAsync(1);
        await onlyOnB.DisposeAsync();
        await bothOnB.DisposeAsync();

        var offline = await watcher.ReceiveStartingWithAsync(PresenceOf("dead-only"), TimeSpan.FromSeconds(10));
        died.Stop();
        offline.Should().Contain("\"status\":\"offline\"").And.Contain("\"lastSeen\":");
        died.Elapsed.Should().BeGreaterThan(NodeTimeout * 0.5, "the node counts until its heartbeat expires");
        await NothingStartingWithAsync(watcher, PresenceOf("dead-"), "the user still connected to node A stays online, and the other is announced once");

        var presence = a.Services.GetRequiredService<IPresenceRegistry>();
        (await presence.IsOnlineAsync("dead-only")).Should().BeFalse();
        (await presence.ConnectionsOfAsync("dead-both")).Should().Be(1, "node B's connection stopped counting");
    }

    [RedisFact]
    public async Task A_client_that_resumes_its_session_on_another_node_is_not_refused_for_the_place_its_dead_node_still_holds()
    {
        // One connection per user, and a dead node that is not reaped during the test: the user's only place is still
        // held by node B when the client resumes on node A.
        await using var cluster = await Cluster.StartAsync(2, ("Realtime:RedisStreams", "true"), ("Limits:ConnectionsPerUser", "1"), ("Realtime:NodeTimeout", "00:05:00"));
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var token = MarketplaceHost.Token("resume-user", "user");
        var (onB, reply) = await RawSocketClient.ConnectAsync(b, RawSocketClient.BearerAuth(token));
        using var handshake = JsonDocument.Parse(reply[2..]);
        var (sid, pid) = (handshake.RootElement.GetProperty("sid").GetString(), handshake.RootElement.GetProperty("pid").GetString());
        await onB.EmitAsync("health.check", ackId: 1);
        await onB.ReceiveStartingWithAsync("431");
        (await SendNotificationAsync(a, "resume-user", "before the crash")).Should().Be(HttpStatusCode.Created);
        var notification = await onB.ReceiveStartingWithAsync("42[\"notification.user\"");
        using var arguments = JsonDocument.Parse(notification[2..]);
        var offset = arguments.RootElement.EnumerateArray().Last().GetString();

        await cluster.KillAsync(1);
        await onB.DisposeAsync();
        (await a.Services.GetRequiredService<IPresenceRegistry>().ConnectionsOfAsync("resume-user")).Should().Be(1, "node B's registration outlives it until it is reaped");

        var auth = $$"""{"token":"Bearer {{token}}","pid":"{{pid}}","offset":"{{offset}}"}""";
        var (onA, resumed) = await RawSocketClient.ConnectAsync(a, auth);
        await using (onA)
        {
            resumed.Should().StartWith("40{").And.Contain($"\"sid\":\"{sid}\"", "the session resumes on node A");
            await onA.EmitAsync("health.check", ackId: 2);
            var answer = await onA.ReceiveStartingWithAsync("432");
            answer.Should().NotContain("RATE_LIMIT");
            (await a.Services.GetRequiredService<IPresenceRegistry>().ConnectionsOfAsync("resume-user")).Should().Be(1, "the resumed socket is the same connection, not a second one");
        }
    }

    [RedisFact]
    public async Task A_node_stopped_cleanly_has_its_users_announced_offline_at_once()
    {
        // A node timeout far beyond the test's wait: only a clean leave can explain the offline update.
        await using var cluster = await Cluster.StartAsync(2, ("Realtime:NodeTimeout", "00:05:00"));
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await cluster.CreateConversationAsync(a, "leave-watcher", "leave-user");
        await using var watcher = await ConnectAsync(a, "leave-watcher");
        await using var user = await ConnectAsync(b, "leave-user");
        await watcher.ReceiveStartingWithAsync(PresenceOf("leave-user"));

        await cluster.StopAsync(1);
        (await watcher.ReceiveStartingWithAsync(PresenceOf("leave-user"))).Should().Contain("\"status\":\"offline\"");
        await NothingStartingWithAsync(watcher, PresenceOf("leave-user"), "announced once, by the socket's close or the node's leave");
        (await a.Services.GetRequiredService<IPresenceRegistry>().ConnectionsOfAsync("leave-user")).Should().Be(0);
    }

    private static string PresenceOf(string userId) => $$"""42["presence.update",{"userId":"{{userId}}""";

    private static async Task<RawSocketClient> ConnectAsync(MarketplaceHost node, string userId)
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(node, RawSocketClient.BearerAuth(MarketplaceHost.Token(userId, "user")));
        reply.Should().StartWith("40{");
        // A round trip through the socket's event gate: it is registered (and counted online) once this answers.
        await client.EmitAsync("health.check", ackId: 99);
        await client.ReceiveStartingWithAsync("4399");
        return client;
    }

    /// <summary>Connects and tells whether the socket got in: its health check is answered, or it is refused.</summary>
    private static async Task<(RawSocketClient Client, bool Accepted)> TryConnectAsync(MarketplaceHost node, string token)
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(node, RawSocketClient.BearerAuth(token));
        if (reply.StartsWith("44", StringComparison.Ordinal)) return (client, false);
        await client.EmitAsync("health.check", ackId: 7);
        while (true)
        {
            var frame = await client.ReceiveAsync();
            if (frame.StartsWith("437", StringComparison.Ordinal)) return (client, true);
            if (frame.Contains("\"code\":\"RATE_LIMIT\"", StringComparison.Ordinal)) return (client, false);
        }
    }

    private static async Task NothingStartingWithAsync(RawSocketClient client, string prefix, string because)
    {
        string? frame = null;
        try
        {
            frame = await client.ReceiveStartingWithAsync(prefix, Quiet);
        }
        catch (OperationCanceledException)
        {
            // Nothing came: as expected.
        }
        frame.Should().BeNull(because);
    }

    private static async Task<HttpStatusCode> SendNotificationAsync(MarketplaceHost node, string userId, string message)
    {
        using var response = await node.Http.SendAsync(node.Request(HttpMethod.Post, "/api/notifications", MarketplaceHost.Token("cluster-admin", "admin"),
            $$"""{"userId":"{{userId}}","type":"test","title":"t","message":"{{message}}"}"""));
        return response.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(MarketplaceHost.Timeout);
        while (!await condition())
        {
            // The removal runs after the socket's close, on the server: polled, bounded.
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Nodes sharing one private Redis and one SQLite file, with short heartbeats.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly RedisProcess _redis;
        private readonly string _database;
        private readonly bool[] _stopped;

        private Cluster(RedisProcess redis, string database, MarketplaceHost[] nodes)
        {
            _redis = redis;
            _database = database;
            Nodes = nodes;
            _stopped = new bool[nodes.Length];
        }

        public MarketplaceHost[] Nodes { get; }

        public static async Task<Cluster> StartAsync(int count, params (string Key, string Value)[] settings)
        {
            var redis = await RedisProcess.StartAsync();
            var database = Path.Combine(Path.GetTempPath(), "marketplace-cluster-" + Guid.NewGuid().ToString("N") + ".db");
            (string, string)[] all =
            [
                ("Realtime:Redis", redis.Configuration), ("Storage:Sqlite", database),
                ("Realtime:NodeHeartbeatInterval", Heartbeat.ToString()), ("Realtime:NodeTimeout", NodeTimeout.ToString()),
                .. settings,
            ];
            var nodes = new List<MarketplaceHost>();
            // One after the other: the first migrates the SQLite file.
            for (var i = 0; i < count; i++) nodes.Add(await MarketplaceHost.StartAsync(all));
            return new Cluster(redis, database, [.. nodes]);
        }

        public async Task<string> CreateConversationAsync(MarketplaceHost node, string userId, string otherId)
        {
            using var created = await node.Http.SendAsync(node.Request(HttpMethod.Post, "/api/conversations", MarketplaceHost.Token(userId, "user"), $$"""{"participantIds":["{{otherId}}"]}"""));
            created.StatusCode.Should().Be(HttpStatusCode.Created);
            return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }

        /// <summary>Node <paramref name="index"/> dies: it loses Redis at once, so its heartbeat stops and none of its cleanup gets through, then it stops.</summary>
        public async Task KillAsync(int index)
        {
            Nodes[index].Services.GetRequiredService<RedisStateConnection>().Dispose();
            _stopped[index] = true;
            await Nodes[index].DisposeAsync();
        }

        /// <summary>Node <paramref name="index"/> stops the normal way (its cleanup runs).</summary>
        public async Task StopAsync(int index)
        {
            _stopped[index] = true;
            await Nodes[index].DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            for (var i = 0; i < Nodes.Length; i++)
            {
                if (!_stopped[i]) await Nodes[i].DisposeAsync();
            }
            await _redis.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" }) File.Delete(file);
        }
    }
}

/// <summary>A test that needs redis-server and PostgreSQL: skipped when either is missing here, except under <c>CI=true</c>.</summary>
public sealed class RedisAndPostgresFactAttribute : FactAttribute
{
    public RedisAndPostgresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true") return;
        if (RedisProcess.Program is null) Skip = "redis-server is not installed (scripts/test.sh installs it; under CI=true this test fails instead).";
        else if (PostgresServer.SkipReason is { } reason) Skip = reason;
    }
}
