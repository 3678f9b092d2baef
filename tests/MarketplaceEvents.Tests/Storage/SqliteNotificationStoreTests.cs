using System.Text.Json;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage.Sqlite;

namespace MarketplaceEvents.Tests.Storage;

public sealed class SqliteNotificationStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TempDatabase _temp = null!;
    private SqliteNotificationStore _notifications = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _notifications = new SqliteNotificationStore(_temp.Database);
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private static Notification ForUser(string id, string? userId, int minutes) =>
        new(id, userId, "info", "title " + id, "message", "normal", JsonElement.Parse("""{"k":1}"""), null, null, false, T0.AddMinutes(minutes));

    [Fact]
    public async Task QueuesUserNotificationsUntilDeliveredAndKeepsSystemOnesOutOfTheQueue()
    {
        await _notifications.SaveAsync(ForUser("n1", "u", 1), 10);
        await _notifications.SaveAsync(ForUser("n2", "u", 2), 10);
        await _notifications.SaveAsync(ForUser("s1", null, 3), 10);

        var pending = await _notifications.GetUndeliveredAsync("u", 10);
        pending.Select(n => n.Id).Should().Equal("n1", "n2");
        pending[0].Metadata!.Value.GetProperty("k").GetInt32().Should().Be(1);

        await _notifications.MarkDeliveredAsync(["n1"]);
        (await _notifications.GetUndeliveredAsync("u", 10)).Select(n => n.Id).Should().Equal("n2");
    }

    [Fact]
    public async Task DropsTheOldestUndeliveredPastTheBoundButKeepsThemReadable()
    {
        for (var i = 1; i <= 3; i++) (await _notifications.SaveAsync(ForUser("n" + i, "u", i), 3)).Should().Be(0);
        (await _notifications.SaveAsync(ForUser("n4", "u", 4), 3)).Should().Be(1);
        (await _notifications.SaveAsync(ForUser("n5", "u", 5), 3)).Should().Be(1);
        (await _notifications.SaveAsync(ForUser("other", "v", 5), 3)).Should().Be(0, "each user has a queue of their own");

        (await _notifications.GetUndeliveredAsync("u", 100)).Select(n => n.Id).Should().Equal("n3", "n4", "n5");
        (await _notifications.GetSinceAsync("u", null, 100)).Select(n => n.Id).Should().Equal("n1", "n2", "n3", "n4", "n5");
    }

    [Fact]
    public async Task ListsTheUsersAndTheSystemNotificationsSinceATime()
    {
        await _notifications.SaveAsync(ForUser("n1", "u", 1), 10);
        await _notifications.SaveAsync(ForUser("s1", null, 2), 10);
        await _notifications.SaveAsync(ForUser("x1", "someone-else", 3), 10);
        await _notifications.SaveAsync(ForUser("n2", "u", 4), 10);

        (await _notifications.GetSinceAsync("u", T0.AddMinutes(1), 100)).Select(n => n.Id).Should().Equal("s1", "n2");
        (await _notifications.GetSinceAsync("u", null, 2)).Select(n => n.Id).Should().Equal(["s1", "n2"], "the newest ones are listed when limited, oldest first");
    }

    [Fact]
    public async Task MarksOnlyTheUsersOwnNotificationRead()
    {
        await _notifications.SaveAsync(ForUser("n1", "u", 1), 10);
        await _notifications.SaveAsync(ForUser("s1", null, 2), 10);
        (await _notifications.MarkReadAsync("n1", "intruder")).Should().BeFalse();
        (await _notifications.MarkReadAsync("s1", "u")).Should().BeFalse("system notifications belong to nobody");
        (await _notifications.MarkReadAsync("n1", "u")).Should().BeTrue();
        (await _notifications.GetSinceAsync("u", null, 10)).Single(n => n.Id == "n1").Read.Should().BeTrue();
    }
}
