using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage.Sqlite;

namespace MarketplaceEvents.Tests.Storage;

public sealed class SqliteConversationAndUserStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TempDatabase _temp = null!;
    private SqliteConversationStore _conversations = null!;
    private SqliteUserStore _users = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _conversations = new SqliteConversationStore(_temp.Database);
        _users = new SqliteUserStore(_temp.Database);
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Fact]
    public async Task KeepsParticipantsInOrderAndListsAUsersConversationsNewestFirst()
    {
        await _conversations.CreateAsync(new Conversation("c1", ConversationStatus.Active, "a", T0, T0, ["a", "c", "b"]));
        await _conversations.CreateAsync(new Conversation("c2", ConversationStatus.Active, "b", T0, T0.AddMinutes(1), ["b", "a"]));
        await _conversations.CreateAsync(new Conversation("c3", ConversationStatus.Active, "x", T0, T0, ["x", "y"]));

        (await _conversations.GetAsync("c1"))!.ParticipantIds.Should().Equal("a", "c", "b");
        (await _conversations.GetAsync("missing")).Should().BeNull();
        (await _conversations.ListForUserAsync("a")).Select(c => c.Id).Should().Equal("c2", "c1");
    }

    [Fact]
    public async Task ContactsAreTheOtherParticipantsOfConversationsThatAreNotDeleted()
    {
        await _conversations.CreateAsync(new Conversation("c1", ConversationStatus.Active, "a", T0, T0, ["a", "b"]));
        await _conversations.CreateAsync(new Conversation("c2", ConversationStatus.Active, "a", T0, T0, ["a", "b", "c"]));
        await _conversations.CreateAsync(new Conversation("c3", ConversationStatus.Active, "a", T0, T0, ["a", "d"]));
        (await _conversations.GetContactsAsync("a")).Should().Equal("b", "c", "d");

        (await _conversations.SetStatusAsync("c3", ConversationStatus.Deleted, T0.AddHours(1))).Should().BeTrue();
        (await _conversations.SetStatusAsync("nope", ConversationStatus.Deleted, T0)).Should().BeFalse();
        (await _conversations.GetContactsAsync("a")).Should().Equal("b", "c");
        (await _conversations.ListForUserAsync("d")).Should().BeEmpty();
        (await _conversations.GetAsync("c3"))!.Status.Should().Be(ConversationStatus.Deleted);
    }

    [Fact]
    public async Task RemembersTheLatestProfileAndAnswersUnknownUsersWithNulls()
    {
        await _users.UpsertAsync(new UserProfile("a", "Ada", null));
        await _users.UpsertAsync(new UserProfile("a", "Ada L.", "https://x.test/a.png"));
        await _users.SetLastSeenAsync("b", T0);

        var profiles = await _users.GetManyAsync(["b", "a", "zz", "a"]);
        profiles.Should().Equal(new UserProfile("b", null, null), new UserProfile("a", "Ada L.", "https://x.test/a.png"), new UserProfile("zz", null, null), new UserProfile("a", "Ada L.", "https://x.test/a.png"));
        (await _users.GetManyAsync([])).Should().BeEmpty();
    }
}
