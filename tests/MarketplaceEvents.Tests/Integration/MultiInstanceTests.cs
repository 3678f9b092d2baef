using System.Net;
using System.Text.Json;
using SocketIo.Redis.Tests;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>Two instances of the service with <c>Realtime:Redis</c> (and one database): broadcasts cross instances.</summary>
public sealed class MultiInstanceTests
{
    [RedisFact]
    public async Task A_message_sent_on_one_instance_reaches_a_participant_connected_to_the_other()
    {
        await using var redis = await RedisProcess.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "marketplace-shared-" + Guid.NewGuid().ToString("N") + ".db");
        await using var first = await MarketplaceHost.StartAsync(("Realtime:Redis", redis.Configuration), ("Storage:Sqlite", database));
        await using var second = await MarketplaceHost.StartAsync(("Realtime:Redis", redis.Url), ("Storage:Sqlite", database));
        var (a, b) = ("multi-a", "multi-b");

        var (sender, senderReply) = await RawSocketClient.ConnectAsync(first, RawSocketClient.BearerAuth(MarketplaceHost.Token(a, "user")));
        await using var _ = sender;
        var (receiver, receiverReply) = await RawSocketClient.ConnectAsync(second, RawSocketClient.BearerAuth(MarketplaceHost.Token(b, "user")));
        await using var __ = receiver;
        senderReply.Should().StartWith("40{");
        receiverReply.Should().StartWith("40{");

        using var created = await first.Http.SendAsync(first.Request(HttpMethod.Post, "/api/conversations", MarketplaceHost.Token(a, "user"), $$"""{"participantIds":["{{b}}"]}"""));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var conversation = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        await sender.EmitAsync("chat.send", $$"""{"conversationId":"{{conversation}}","content":"across","clientMessageId":"k"}""", ackId: 1);
        (await sender.ReceiveStartingWithAsync("431")).Should().StartWith("""431[{"ok":true""");
        (await receiver.ReceiveStartingWithAsync("42[\"chat.message\"")).Should().Contain("\"content\":\"across\"");
    }

    [RedisFact]
    public async Task Readiness_follows_the_cluster_s_redis()
    {
        await using var redis = await RedisProcess.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "marketplace-ready-" + Guid.NewGuid().ToString("N") + ".db");
        await using var host = await MarketplaceHost.StartAsync(("Realtime:Redis", redis.Configuration), ("Storage:Sqlite", database));

        using (var ready = await host.Http.GetAsync("/health/ready"))
            ready.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);

        await redis.StopAsync();
        using (var down = await host.Http.GetAsync("/health/ready"))
            down.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        // Liveness ignores dependencies: a Redis outage must not get the node restarted.
        using (var live = await host.Http.GetAsync("/health/live"))
            live.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);

        await redis.StartAgainAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        HttpStatusCode status;
        do
        {
            using var again = await host.Http.GetAsync("/health/ready");
            status = again.StatusCode;
            if (status == HttpStatusCode.OK) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        status.Should().Be(HttpStatusCode.OK, "the adapter reconnects once Redis is back");
    }
}
