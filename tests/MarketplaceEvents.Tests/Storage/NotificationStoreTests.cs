using System.Text.Json;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;
using MarketplaceEvents.Tests.Postgres;

namespace MarketplaceEvents.Tests.Storage;

/// <summary>The notification store, on each database.</summary>
public abstract class NotificationStoreTests : StoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private INotificationStore Notifications => Db.Notifications;

    private static Notification ForUser(string id, string? userId, int minutes) =>
        new(id, userId, "info", "title " + id, "message", "normal", JsonElement.Parse("""{"k":1}"""), null, null, false, T0.AddMinutes(minutes));

    [StoreFact]
    public async Task QueuesUserNotificationsUntilDeliveredAndKeepsSystemOnesOutOfTheQueue()
    {
        await Notifications.SaveAsync(ForUser("n1", "u", 1), 10);
        await Notifications.SaveAsync(ForUser("n2", "u", 2), 10);
        await Notifications.SaveAsync(ForUser("s1", null, 3), 10);

        var pending = await Notifications.GetUndeliveredAsync("u", 10);
        pending.Select(n => n.Id).Should().Equal("n1", "n2");
        pending[0].Metadata!.Value.GetProperty("k").GetInt32().Should().Be(1);

        await Notifications.MarkDeliveredAsync(["n1"]);
        (await Notifications.GetUndeliveredAsync("u", 10)).Select(n => n.Id).Should().Equal("n2");
    }

    [StoreFact]
    public async Task DropsTheOldestUndeliveredPastTheBoundButKeepsThemReadable()
    {
        for (var i = 1; i <= 3; i++) (await Notifications.SaveAsync(ForUser("n" + i, "u", i), 3)).Should().Be(0);
        (await Notifications.SaveAsync(ForUser("n4", "u", 4), 3)).Should().Be(1);
        (await Notifications.SaveAsync(ForUser("n5", "u", 5), 3)).Should().Be(1);
        (await Notifications.SaveAsync(ForUser("other", "v", 5), 3)).Should().Be(0, "each user has a queue of their own");

        (await Notifications.GetUndeliveredAsync("u", 100)).Select(n => n.Id).Should().Equal("n3", "n4", "n5");
        (await Notifications.GetSinceAsync("u", null, 100)).Select(n => n.Id).Should().Equal("n1", "n2", "n3", "n4", "n5");
    }

    [StoreFact]
    public async Task KeepsTheQueueWithinItsBoundWhenNotificationsArriveConcurrently()
    {
        // As when several nodes notify one user at once: every save trims, and none may miss another's row.
        var dropped = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Notifications.SaveAsync(ForUser("c" + i, "u", i), 5))));

        dropped.Sum().Should().Be(11);
        (await Notifications.GetUndeliveredAsync("u", 100)).Should().HaveCount(5);
        (await Notifications.GetSinceAsync("u", null, 100)).Should().HaveCount(16);
    }

    [StoreFact]
    public async Task ListsTheUsersAndTheSystemNotificationsSinceATime()
    {
        await Notifications.SaveAsync(ForUser("n1", "u", 1), 10);
        await Notifications.SaveAsync(ForUser("s1", null, 2), 10);
        await Notifications.SaveAsync(ForUser("x1", "someone-else", 3), 10);
        await Notifications.SaveAsync(ForUser("n2", "u", 4), 10);

        (await Notifications.GetSinceAsync("u", T0.AddMinutes(1), 100)).Select(n => n.Id).Should().Equal("s1", "n2");
        (await Notifications.GetSinceAsync("u", null, 2)).Select(n => n.Id).Should().Equal(["s1", "n2"], "the newest ones are listed when limited, oldest first");
    }

    [StoreFact]
    public async Task MarksOnlyTheUsersOwnNotificationRead()
    {
        await Notifications.SaveAsync(ForUser("n1", "u", 1), 10);
        await Notifications.SaveAsync(ForUser("s1", null, 2), 10);
        (await Notifications.MarkReadAsync("n1", "intruder")).Should().BeFalse();
        (await Notifications.MarkReadAsync("s1", "u")).Should().BeFalse("system notifications belong to nobody");
        (await Notifications.MarkReadAsync("n1", "u")).Should().BeTrue();
        (await Notifications.GetSinceAsync("u", null, 10)).Single(n => n.Id == "n1").Read.Should().BeTrue();
    }
}

public sealed class SqliteNotificationStoreTests : NotificationStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.SqliteAsync();
}

[RequiresPostgres]
public sealed class PostgresNotificationStoreTests : NotificationStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.PostgresAsync();
}
