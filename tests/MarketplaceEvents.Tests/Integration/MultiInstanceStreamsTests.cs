using System.Text.Json;
using SocketIo.Redis.Tests;
using StackExchange.Redis;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>Two instances with <c>Realtime:Redis</c> and <c>Realtime:RedisStreams</c>: the Redis Streams adapter.</summary>
public sealed class MultiInstanceStreamsTests
{
    [RedisFact]
    public async Task Over_redis_streams_messages_cross_instances_and_sessions_are_kept_in_redis_while_connected()
    {
        await using var redis = await RedisProcess.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "marketplace-streams-" + Guid.NewGuid().ToString("N") + ".db");
        await using var first = await MarketplaceHost.StartAsync(("Realtime:Redis", redis.Configuration), ("Realtime:RedisStreams", "true"), ("Storage:Sqlite", database));
        await using var second = await MarketplaceHost.StartAsync(("Realtime:Redis", redis.Url), ("Realtime:RedisStreams", "true"), ("Storage:Sqlite", database));
        var (a, b) = ("streams-a", "streams-b");

        var (sender, senderReply) = await RawSocketClient.ConnectAsync(first, RawSocketClient.BearerAuth(MarketplaceHost.Token(a, "user")));
        await using var _ = sender;
        var (receiver, receiverReply) = await RawSocketClient.ConnectAsync(second, RawSocketClient.BearerAuth(MarketplaceHost.Token(b, "user")));
        await using var __ = receiver;
        senderReply.Should().StartWith("40{");
        receiverReply.Should().StartWith("40{");

        // The receiver's session is in Redis while it is connected: its instance may die without warning.
        using (var reply = JsonDocument.Parse(receiverReply[2..]))
        {
            var pid = reply.RootElement.GetProperty("pid").GetString();
            await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (!await admin.GetDatabase().KeyExistsAsync("sio:session:" + pid))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the session should be stored while connected");
                await Task.Delay(20);
            }
        }

        using var created = await first.Http.SendAsync(first.Request(HttpMethod.Post, "/api/conversations", MarketplaceHost.Token(a, "user"), $$"""{"participantIds":["{{b}}"]}"""));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var conversation = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        await sender.EmitAsync("chat.send", $$"""{"conversationId":"{{conversation}}","content":"across","clientMessageId":"k"}""", ackId: 1);
        (await sender.ReceiveStartingWithAsync("431")).Should().StartWith("""431[{"ok":true""");
        (await receiver.ReceiveStartingWithAsync("42[\"chat.message\"")).Should().Contain("\"content\":\"across\"");
    }
}
