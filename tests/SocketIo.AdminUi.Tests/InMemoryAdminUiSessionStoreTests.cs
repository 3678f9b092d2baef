namespace SocketIo.AdminUi.Tests;

public sealed class InMemoryAdminUiSessionStoreTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task A_saved_session_exists_until_it_expires_and_an_unknown_one_never_does()
    {
        var time = new ManualTime();
        var store = new InMemoryAdminUiSessionStore(TimeSpan.FromHours(1), time);

        await store.SaveAsync("abc", CancellationToken.None);

        (await store.ExistsAsync("abc", CancellationToken.None)).Should().BeTrue();
        (await store.ExistsAsync("other", CancellationToken.None)).Should().BeFalse();
        time.Now += TimeSpan.FromHours(1);
        (await store.ExistsAsync("abc", CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public void The_default_duration_is_a_day_as_the_npm_packages_redis_store()
    {
        new InMemoryAdminUiSessionStore().Duration.Should().Be(TimeSpan.FromDays(1));
    }
}
