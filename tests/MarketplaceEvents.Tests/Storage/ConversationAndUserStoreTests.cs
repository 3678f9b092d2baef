using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;
using MarketplaceEvents.Tests.Postgres;

namespace MarketplaceEvents.Tests.Storage;

/// <summary>The conversation and user stores, on each database.</summary>
public abstract class ConversationAndUserStoreTests : StoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private IConversationStore Conversations => Db.Conversations;

    private IUserStore Users => Db.Users;

    [StoreFact]
    public async Task KeepsParticipantsInOrderAndListsAUsersConversationsNewestFirst()
    {
        await Conversations.CreateAsync(new Conversation("c1", ConversationStatus.Active, "a", T0, T0, ["a", "c", "b"]));
        await Conversations.CreateAsync(new Conversation("c2", ConversationStatus.Active, "b", T0, T0.AddMinutes(1), ["b", "a"]));
        await Conversations.CreateAsync(new Conversation("c3", ConversationStatus.Active, "x", T0, T0, ["x", "y"]));

        (await Conversations.GetAsync("c1"))!.ParticipantIds.Should().Equal("a", "c", "b");
        (await Conversations.GetAsync("missing")).Should().BeNull();
        (await Conversations.ListForUserAsync("a")).Select(c => c.Id).Should().Equal("c2", "c1");
    }

    [StoreFact]
    public async Task ContactsAreTheOtherParticipantsOfConversationsThatAreNotDeleted()
    {
        await Conversations.CreateAsync(new Conversation("c1", ConversationStatus.Active, "a", T0, T0, ["a", "b"]));
        await Conversations.CreateAsync(new Conversation("c2", ConversationStatus.Active, "a", T0, T0, ["a", "b", "c"]));
        await Conversations.CreateAsync(new Conversation("c3", ConversationStatus.Active, "a", T0, T0, ["a", "d"]));
        (await Conversations.GetContactsAsync("a")).Should().Equal("b", "c", "d");

        (await Conversations.SetStatusAsync("c3", ConversationStatus.Deleted, T0.AddHours(1))).Should().BeTrue();
        (await Conversations.SetStatusAsync("nope", ConversationStatus.Deleted, T0)).Should().BeFalse();
        (await Conversations.GetContactsAsync("a")).Should().Equal("b", "c");
        (await Conversations.ListForUserAsync("d")).Should().BeEmpty();
        (await Conversations.GetAsync("c3"))!.Status.Should().Be(ConversationStatus.Deleted);
    }

    [StoreFact]
    public async Task RemembersTheLatestProfileAndAnswersUnknownUsersWithNulls()
    {
        await Users.UpsertAsync(new UserProfile("a", "Ada", null));
        await Users.UpsertAsync(new UserProfile("a", "Ada L.", "https://x.test/a.png"));
        await Users.SetLastSeenAsync("b", T0);

        var profiles = await Users.GetManyAsync(["b", "a", "zz", "a"]);
        profiles.Should().Equal(new UserProfile("b", null, null), new UserProfile("a", "Ada L.", "https://x.test/a.png"), new UserProfile("zz", null, null), new UserProfile("a", "Ada L.", "https://x.test/a.png"));
        (await Users.GetManyAsync([])).Should().BeEmpty();
    }
}

public sealed class SqliteConversationAndUserStoreTests : ConversationAndUserStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.SqliteAsync();
}

[RequiresPostgres]
public sealed class PostgresConversationAndUserStoreTests : ConversationAndUserStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.PostgresAsync();
}
