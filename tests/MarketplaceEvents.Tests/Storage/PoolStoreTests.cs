using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Tests.Postgres;

namespace MarketplaceEvents.Tests.Storage;

/// <summary>The buying pool store, on each database.</summary>
public abstract class PoolStoreTests : StoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private IPoolStore Pools => Db.Pools;

    protected override async Task SeedAsync()
    {
        await Db.Listings.CreateAsync(new Listing("lst_1", "p", "Lamp", 19.99m, "EUR", 50, 2, ListingAvailability.Available, ListingStatus.Active, T0, T0));
        await Pools.CreateAsync(new BuyingPool("pool_1", "lst_1", "p", 10, 0, T0.AddHours(1), PoolStatus.Open, T0, T0));
    }

    private static PoolCommitment Commitment(string id, int quantity) => new(id, "pool_1", "b-" + id, quantity, T0.AddMinutes(1), null);

    [StoreFact]
    public async Task CompletesAtTheTargetAndTakesNothingOnceClosedOrPastItsDeadline()
    {
        (await Pools.CommitAsync(Commitment("c1", 4), T0.AddMinutes(1)))!.Status.Should().Be(PoolStatus.Open);
        var completed = await Pools.CommitAsync(Commitment("c2", 6), T0.AddMinutes(2));
        completed.Should().BeEquivalentTo(new { CommittedQuantity = 10, Status = PoolStatus.Completed, UpdatedAt = T0.AddMinutes(2), Deadline = T0.AddHours(1) });
        (await Pools.CommitAsync(Commitment("c3", 1), T0.AddMinutes(3))).Should().BeNull("the pool is closed");

        await Pools.CreateAsync(new BuyingPool("pool_2", "lst_1", "p", 10, 0, T0.AddHours(1), PoolStatus.Open, T0, T0));
        (await Pools.CommitAsync(Commitment("late", 1) with { PoolId = "pool_2" }, T0.AddHours(2))).Should().BeNull("the deadline passed");

        await Pools.SetOrderAsync("c1", "ord_1");
        (await Pools.GetCommitmentsAsync("pool_1")).Select(c => (c.Id, c.Quantity, c.OrderId)).Should().Equal(("c1", 4, "ord_1"), ("c2", 6, null));
        (await Pools.GetAsync("missing")).Should().BeNull();
    }

    [StoreFact]
    public async Task CountsEveryConcurrentCommitmentOnce()
    {
        // As when buyers on several nodes commit at once: each one is added to the total, none twice.
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => Pools.CommitAsync(Commitment("c" + i, 1), T0.AddMinutes(1)))));

        results.Count(r => r is not null).Should().Be(10, "the pool closes at its target of 10");
        var pool = await Pools.GetAsync("pool_1");
        pool!.CommittedQuantity.Should().Be(10);
        pool.Status.Should().Be(PoolStatus.Completed);
        (await Pools.GetCommitmentsAsync("pool_1")).Should().HaveCount(10);
    }
}

public sealed class SqlitePoolStoreTests : PoolStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.SqliteAsync();
}

[RequiresPostgres]
public sealed class PostgresPoolStoreTests : PoolStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.PostgresAsync();
}
