using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;
using MarketplaceEvents.Tests.Postgres;

namespace MarketplaceEvents.Tests.Storage;

/// <summary>The message store, on each database.</summary>
public abstract class MessageStoreTests : StoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private IMessageStore Messages => Db.Messages;

    protected override async Task SeedAsync() =>
        await Db.Conversations.CreateAsync(new Conversation("conv_1", ConversationStatus.Active, "a", T0, T0, ["a", "b"]));

    private static ChatMessage Message(string content, string? clientId = null, string sender = "a", DateTimeOffset? at = null) =>
        new(Ids.New(Ids.Message), 0, "conv_1", sender, clientId, content, [new MessageAttachment("file", "https://x.test/f", null, 3)], MessageStatus.Sent, at ?? T0);

    [StoreFact]
    public async Task StoresAMessageAndReadsItBack()
    {
        var (stored, created) = await Messages.SaveAsync(Message("hello", "c1"));
        created.Should().BeTrue();
        stored.Sequence.Should().BePositive();
        var read = await Messages.GetAsync(stored.Id);
        read.Should().BeEquivalentTo(stored);
        read!.Attachments.Should().Equal(new MessageAttachment("file", "https://x.test/f", null, 3));
    }

    [StoreFact]
    public async Task StoresOneMessagePerSenderAndClientMessageId()
    {
        var (first, _) = await Messages.SaveAsync(Message("hello", "c1"));
        var (retry, created) = await Messages.SaveAsync(Message("hello again", "c1"));
        created.Should().BeFalse();
        retry.Should().BeEquivalentTo(first);

        // The key belongs to its sender, and messages without a key never collide.
        (await Messages.SaveAsync(Message("hello", "c1", sender: "b"))).Created.Should().BeTrue();
        (await Messages.SaveAsync(Message("x"))).Created.Should().BeTrue();
        (await Messages.SaveAsync(Message("x"))).Created.Should().BeTrue();
        (await Messages.GetHistoryAsync("conv_1", 100, null)).Should().HaveCount(4);
    }

    [StoreFact]
    public async Task StoresOnceWhenRetriesRace()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Messages.SaveAsync(Message("race", "same-key")))));
        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Message.Id).Distinct().Should().ContainSingle();
        (await Messages.GetHistoryAsync("conv_1", 100, null)).Should().ContainSingle();
    }

    [StoreFact]
    public async Task PagesHistoryNewestFirstBeforeAMessageOrATime()
    {
        var saved = new List<ChatMessage>();
        // Two messages share a millisecond: paging by message keeps both.
        foreach (var (content, seconds) in new[] { ("m1", 1), ("m2", 2), ("m3", 2), ("m4", 3) })
        {
            saved.Add((await Messages.SaveAsync(Message(content, at: T0.AddSeconds(seconds)))).Message);
        }

        (await Messages.GetHistoryAsync("conv_1", 2, null)).Select(m => m.Content).Should().Equal("m4", "m3");
        (await Messages.GetHistoryAsync("conv_1", 2, new HistoryCursor(saved[2].Id, null))).Select(m => m.Content).Should().Equal("m2", "m1");
        (await Messages.GetHistoryAsync("conv_1", 10, new HistoryCursor(null, T0.AddSeconds(2)))).Select(m => m.Content).Should().Equal("m1");
        (await Messages.GetHistoryAsync("conv_1", 10, new HistoryCursor("msg_unknown", null))).Should().BeEmpty();
        (await Messages.GetLastAsync("conv_1"))!.Content.Should().Be("m4");
    }

    [StoreFact]
    public async Task MovesAStatusForwardOnly()
    {
        var (message, _) = await Messages.SaveAsync(Message("status"));
        (await Messages.AdvanceStatusAsync(message.Id, MessageStatus.Read)).Should().BeTrue();
        (await Messages.AdvanceStatusAsync(message.Id, MessageStatus.Delivered)).Should().BeFalse();
        (await Messages.AdvanceStatusAsync(message.Id, MessageStatus.Read)).Should().BeFalse();
        (await Messages.GetAsync(message.Id))!.Status.Should().Be(MessageStatus.Read);
    }
}

public sealed class SqliteMessageStoreTests : MessageStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.SqliteAsync();
}

[RequiresPostgres]
public sealed class PostgresMessageStoreTests : MessageStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.PostgresAsync();
}
