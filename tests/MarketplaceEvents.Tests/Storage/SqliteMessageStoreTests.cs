using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Storage.Sqlite;

namespace MarketplaceEvents.Tests.Storage;

public sealed class SqliteMessageStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TempDatabase _temp = null!;
    private SqliteMessageStore _messages = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _messages = new SqliteMessageStore(_temp.Database);
        await new SqliteConversationStore(_temp.Database).CreateAsync(new Conversation("conv_1", ConversationStatus.Active, "a", T0, T0, ["a", "b"]));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private static ChatMessage Message(string content, string? clientId = null, string sender = "a", DateTimeOffset? at = null) =>
        new(Ids.New(Ids.Message), 0, "conv_1", sender, clientId, content, [new MessageAttachment("file", "https://x.test/f", null, 3)], MessageStatus.Sent, at ?? T0);

    [Fact]
    public async Task StoresAMessageAndReadsItBack()
    {
        var (stored, created) = await _messages.SaveAsync(Message("hello", "c1"));
        created.Should().BeTrue();
        stored.Sequence.Should().BePositive();
        var read = await _messages.GetAsync(stored.Id);
        read.Should().BeEquivalentTo(stored);
        read!.Attachments.Should().Equal(new MessageAttachment("file", "https://x.test/f", null, 3));
    }

    [Fact]
    public async Task StoresOneMessagePerSenderAndClientMessageId()
    {
        var (first, _) = await _messages.SaveAsync(Message("hello", "c1"));
        var (retry, created) = await _messages.SaveAsync(Message("hello again", "c1"));
        created.Should().BeFalse();
        retry.Should().BeEquivalentTo(first);

        // The key belongs to its sender, and messages without a key never collide.
        (await _messages.SaveAsync(Message("hello", "c1", sender: "b"))).Created.Should().BeTrue();
        (await _messages.SaveAsync(Message("x"))).Created.Should().BeTrue();
        (await _messages.SaveAsync(Message("x"))).Created.Should().BeTrue();
        (await _messages.GetHistoryAsync("conv_1", 100, null)).Should().HaveCount(4);
    }

    [Fact]
    public async Task StoresOnceWhenRetriesRace()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => _messages.SaveAsync(Message("race", "same-key")))));
        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Message.Id).Distinct().Should().ContainSingle();
        (await _messages.GetHistoryAsync("conv_1", 100, null)).Should().ContainSingle();
    }

    [Fact]
    public async Task PagesHistoryNewestFirstBeforeAMessageOrATime()
    {
        var saved = new List<ChatMessage>();
        // Two messages share a millisecond: paging by message keeps both.
        foreach (var (content, seconds) in new[] { ("m1", 1), ("m2", 2), ("m3", 2), ("m4", 3) })
        {
            saved.Add((await _messages.SaveAsync(Message(content, at: T0.AddSeconds(seconds)))).Message);
        }

        (await _messages.GetHistoryAsync("conv_1", 2, null)).Select(m => m.Content).Should().Equal("m4", "m3");
        (await _messages.GetHistoryAsync("conv_1", 2, new HistoryCursor(saved[2].Id, null))).Select(m => m.Content).Should().Equal("m2", "m1");
        (await _messages.GetHistoryAsync("conv_1", 10, new HistoryCursor(null, T0.AddSeconds(2)))).Select(m => m.Content).Should().Equal("m1");
        (await _messages.GetHistoryAsync("conv_1", 10, new HistoryCursor("msg_unknown", null))).Should().BeEmpty();
        (await _messages.GetLastAsync("conv_1"))!.Content.Should().Be("m4");
    }

    [Fact]
    public async Task MovesAStatusForwardOnly()
    {
        var (message, _) = await _messages.SaveAsync(Message("status"));
        (await _messages.AdvanceStatusAsync(message.Id, MessageStatus.Read)).Should().BeTrue();
        (await _messages.AdvanceStatusAsync(message.Id, MessageStatus.Delivered)).Should().BeFalse();
        (await _messages.AdvanceStatusAsync(message.Id, MessageStatus.Read)).Should().BeFalse();
        (await _messages.GetAsync(message.Id))!.Status.Should().Be(MessageStatus.Read);
    }
}
