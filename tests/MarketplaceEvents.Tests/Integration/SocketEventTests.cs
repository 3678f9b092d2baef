using System.Text.Json;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>The event handlers of the real service over raw frames: acks, broadcasts, errors and limits.</summary>
public sealed class SocketEventTests(EventsHostFixture fixture) : IClassFixture<EventsHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;
    private static int _unique;

    private async Task<RawSocketClient> ConnectAsync(string userId, string role = "user")
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token(userId, role)));
        reply.Should().StartWith("40{");
        return client;
    }

    private static string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _unique)}";

    private async Task<string> CreateConversationAsync(string userId, string otherId)
    {
        using var response = await _host.Http.SendAsync(_host.Request(HttpMethod.Post, "/api/conversations", MarketplaceHost.Token(userId, "user"), $$"""{"participantIds":["{{otherId}}"]}"""));
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task AnswersHealthCheckWithStatusAndAnIsoTimestamp()
    {
        await using var client = await ConnectAsync(NewId("health"));
        await client.EmitAsync("health.check", ackId: 5);
        (await client.ReceiveStartingWithAsync("435")).Should().MatchRegex("""^435\[\{"status":"ok","timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}\]$""");
    }

    [Fact]
    public async Task StoresAndDeliversAMessageToTheOtherParticipant()
    {
        var (a, b) = (NewId("a"), NewId("b"));
        await using var sender = await ConnectAsync(a);
        await using var receiver = await ConnectAsync(b);
        var conversation = await CreateConversationAsync(a, b);

        await sender.EmitAsync("chat.send", $$"""{"conversationId":"{{conversation}}","content":"hi","clientMessageId":"k"}""", ackId: 1);
        var ack = await sender.ReceiveStartingWithAsync("431");
        ack.Should().StartWith("""431[{"ok":true,"message":{"id":"msg_""");
        var message = JsonDocument.Parse(ack[3..]).RootElement[0].GetProperty("message").GetRawText();
        (await receiver.ReceiveStartingWithAsync("42[\"chat.message\"")).Should().Be($"42[\"chat.message\",{message}]");
        receiver.LastOffset.Should().NotBeNull("connection state recovery is on: events carry an offset");
    }

    [Fact]
    public async Task RefusesAnInvalidPayloadWithAnErrorEventAndAnErrorAck()
    {
        await using var client = await ConnectAsync(NewId("invalid"));
        await client.EmitAsync("presence.typing", """{"conversationId":"c","isTyping":"yes"}""", ackId: 9);
        (await client.ReceiveAsync()).Should().Be("""42["error",{"code":"INVALID_PAYLOAD","message":"isTyping must be true or false"}]""");
        (await client.ReceiveAsync()).Should().Be("""439[{"ok":false,"error":{"code":"INVALID_PAYLOAD","message":"isTyping must be true or false"}}]""");
    }

    [Fact]
    public async Task RefusesAMessageWithAnUnpairedSurrogateWithInvalidPayload()
    {
        // What socket.io-client sends for content: "a\ud800b": valid JSON, but no .NET string.
        var (a, b) = (NewId("surrogate"), NewId("peer"));
        var conversation = await CreateConversationAsync(a, b);
        await using var client = await ConnectAsync(a);
        await client.EmitAsync("chat.send", $$"""{"conversationId":"{{conversation}}","content":"a\ud800b"}""", ackId: 4);
        const string error = """{"code":"INVALID_PAYLOAD","message":"content must be valid UTF-16 text (it has an unpaired surrogate)"}""";
        (await client.ReceiveAsync()).Should().Be($"""42["error",{error}]""");
        (await client.ReceiveAsync()).Should().Be($$"""434[{"ok":false,"error":{{error}}}]""");
    }

    [Fact]
    public async Task RefusesEventsPastTheRateLimitWithoutProcessingThem()
    {
        var (a, b) = (NewId("rate"), NewId("peer"));
        var conversation = await CreateConversationAsync(a, b);
        await using var client = await ConnectAsync(a);
        for (var i = 1; i <= 5; i++)
        {
            await client.EmitAsync("health.check", ackId: i);
            (await client.ReceiveStartingWithAsync("43" + i)).Should().Contain("\"ok\"");
        }

        await client.EmitAsync("chat.send", $$"""{"conversationId":"{{conversation}}","content":"over the limit"}""", ackId: 6);
        var error = await client.ReceiveAsync();
        error.Should().MatchRegex("""^42\["error",\{"code":"RATE_LIMIT","message":"Too many events: at most 5 per 60 s","retryAfter":(5\d|60)\}\]$""");
        (await client.ReceiveAsync()).Should().MatchRegex("""^436\[\{"ok":false,"error":\{"code":"RATE_LIMIT","message":"[^"]+","retryAfter":\d+\}\}\]$""");

        // Another connection of the same user has its own window: the refused message was never stored.
        await using var other = await ConnectAsync(a);
        await other.EmitAsync("chat.history", $$"""{"conversationId":"{{conversation}}"}""", ackId: 1);
        (await other.ReceiveStartingWithAsync("431")).Should().Be("""431[{"ok":true,"messages":[],"hasMore":false}]""");
    }

    [Fact]
    public async Task RefusesAThirdConcurrentConnectionOfAUser()
    {
        var user = NewId("crowd");
        await using var first = await ConnectAsync(user);
        await using var second = await ConnectAsync(user);
        var (third, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token(user, "user")));
        await using var _ = third;
        reply.Should().Be("""44{"message":"Too many connections for this user (at most 2)","data":{"code":"RATE_LIMIT"}}""");
    }
}
