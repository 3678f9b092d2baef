using MarketplaceEvents.Presence;

namespace MarketplaceEvents.Tests.Presence;

/// <summary>What every <see cref="IPresenceRegistry"/> does, run against each implementation by its subclass.</summary>
public abstract class PresenceRegistrySpecification : IAsyncLifetime
{
    private protected IPresenceRegistry Registry { get; private set; } = null!;

    private protected abstract Task<IPresenceRegistry> CreateAsync();

    public async Task InitializeAsync() => Registry = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [PresenceFact]
    public async Task A_user_comes_online_with_the_first_connection_and_goes_offline_with_the_last()
    {
        (await Registry.TryAddAsync("u", "s1", 10)).Should().Be(PresenceAdmission.CameOnline);
        (await Registry.TryAddAsync("u", "s2", 10)).Should().Be(PresenceAdmission.Added);
        (await Registry.IsOnlineAsync("u")).Should().BeTrue();
        (await Registry.ConnectionsOfAsync("u")).Should().Be(2);

        (await Registry.RemoveAsync("u", "s1")).Should().BeFalse();
        (await Registry.RemoveAsync("u", "s1")).Should().BeFalse("removing twice changes nothing");
        (await Registry.RemoveAsync("u", "s2")).Should().BeTrue();
        (await Registry.IsOnlineAsync("u")).Should().BeFalse();
        (await Registry.ConnectionsOfAsync("u")).Should().Be(0);
        (await Registry.RemoveAsync("u", "s2")).Should().BeFalse();
    }

    [PresenceFact]
    public async Task Refuses_a_connection_past_the_limit_but_not_one_already_registered()
    {
        (await Registry.TryAddAsync("u", "s1", 2)).Should().Be(PresenceAdmission.CameOnline);
        (await Registry.TryAddAsync("u", "s2", 2)).Should().Be(PresenceAdmission.Added);
        (await Registry.TryAddAsync("u", "s3", 2)).Should().Be(PresenceAdmission.Refused);
        (await Registry.TryAddAsync("u", "s2", 2)).Should().Be(PresenceAdmission.Added, "the same connection again (resumed) does not count twice");
        (await Registry.ConnectionsOfAsync("u")).Should().Be(2);
        (await Registry.RemoveAsync("u", "s3")).Should().BeFalse("a refused connection was never registered");
        (await Registry.ConnectionsOfAsync("u")).Should().Be(2);
    }

    [PresenceFact]
    public async Task Keeps_the_status_of_online_users_only_and_reports_real_changes()
    {
        (await Registry.TrySetStatusAsync("u", "away")).Should().BeFalse("an offline user has no status to set");
        await Registry.TryAddAsync("u", "s1", 10);
        await Registry.TryAddAsync("v", "s2", 10);
        (await Registry.TrySetStatusAsync("u", "online")).Should().BeFalse("it already is");
        (await Registry.TrySetStatusAsync("u", "away")).Should().BeTrue();
        (await Registry.TrySetStatusAsync("u", "away")).Should().BeFalse();
        (await Registry.StatusesAsync(["u", "v", "w"])).Should().BeEquivalentTo(new Dictionary<string, string> { ["u"] = "away", ["v"] = "online" });
        (await Registry.StatusesAsync([])).Should().BeEmpty();

        await Registry.RemoveAsync("u", "s1");
        await Registry.TryAddAsync("u", "s3", 10);
        (await Registry.StatusesAsync(["u"]))["u"].Should().Be("online", "a user back online starts online again");
    }

    [PresenceFact]
    public async Task Of_many_concurrent_first_connections_exactly_one_comes_online_and_the_limit_holds()
    {
        var admissions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Registry.TryAddAsync("u", "s" + i, 25))));
        admissions.Count(a => a == PresenceAdmission.CameOnline).Should().Be(1);
        admissions.Count(a => a != PresenceAdmission.Refused).Should().Be(25);
        (await Registry.ConnectionsOfAsync("u")).Should().Be(25);

        var removals = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Registry.RemoveAsync("u", "s" + i))));
        removals.Count(r => r).Should().Be(1, "one removal is the last one");
    }
}

/// <summary>The specification on one node's memory.</summary>
public sealed class InMemoryPresenceRegistryTests : PresenceRegistrySpecification
{
    private protected override Task<IPresenceRegistry> CreateAsync() => Task.FromResult<IPresenceRegistry>(new InMemoryPresenceRegistry());
}
