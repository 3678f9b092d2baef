using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using MarketplaceEvents.Storage.Postgres;
using MarketplaceEvents.Storage.Sqlite;
using MarketplaceEvents.Tests.Postgres;

namespace MarketplaceEvents.Tests.Storage;

/// <summary>The listing and order stores, on each database.</summary>
public abstract class OrderAndListingStoreTests : StoreTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private IListingStore Listings => Db.Listings;

    private IOrderStore Orders => Db.Orders;

    protected override async Task SeedAsync() =>
        await Db.Listings.CreateAsync(new Listing("lst_1", "p", "Lamp", 19.99m, "EUR", 5, 2, ListingAvailability.Available, ListingStatus.Active, T0, T0));

    private static Order Order(string id, int quantity) => new(id, "lst_1", "b", "p", quantity, 19.99m, "EUR", OrderStatus.Pending, T0, T0);

    [StoreFact]
    public async Task KeepsMoneyExact()
    {
        await Listings.CreateAsync(new Listing("lst_2", "p", "Pricey", 12345678.9012m, "USD", 1, 0, "available", "active", T0, T0));
        (await Listings.GetAsync("lst_2"))!.Price.Should().Be(12345678.9012m);
        (await Listings.ListAsync("p", 10)).Select(l => l.Id).Should().BeEquivalentTo("lst_1", "lst_2");
        (await Listings.ListAsync("other", 10)).Should().BeEmpty();
    }

    [StoreFact]
    public async Task TakesTheOrderedQuantityFromTheStockInTheSameTransaction()
    {
        var after = await Orders.CreateAsync(Order("o1", 3));
        after!.Quantity.Should().Be(2);
        (await Orders.GetAsync("o1"))!.Quantity.Should().Be(3);

        (await Orders.CreateAsync(Order("o2", 3))).Should().BeNull("only 2 are left");
        (await Orders.GetAsync("o2")).Should().BeNull("a refused order is not stored");
        (await Listings.GetAsync("lst_1"))!.Quantity.Should().Be(2);
    }

    [StoreFact]
    public async Task NeverSellsMoreThanTheStockToConcurrentBuyers()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => Orders.CreateAsync(Order("race" + i, 1)))));
        results.Count(r => r is not null).Should().Be(5);
        (await Listings.GetAsync("lst_1"))!.Quantity.Should().Be(0);
    }

    [StoreFact]
    public async Task MovesAnOrderOnlyFromTheStatusItIsIn()
    {
        await Orders.CreateAsync(Order("o1", 1));
        (await Orders.TransitionAsync("o1", OrderStatus.Pending, OrderStatus.Confirmed, T0.AddMinutes(1))).Should().Be((true, (Listing?)null));
        (await Orders.TransitionAsync("o1", OrderStatus.Pending, OrderStatus.Cancelled, T0.AddMinutes(2))).Moved.Should().BeFalse("it is no longer pending");
        var order = await Orders.GetAsync("o1");
        order!.Status.Should().Be(OrderStatus.Confirmed);
        order.UpdatedAt.Should().Be(T0.AddMinutes(1));
    }

    [StoreFact]
    public async Task ReturnsTheQuantityToTheStockWhenCancelled()
    {
        await Orders.CreateAsync(Order("o1", 4));
        var (moved, restocked) = await Orders.TransitionAsync("o1", OrderStatus.Pending, OrderStatus.Cancelled, T0.AddMinutes(1));
        moved.Should().BeTrue();
        restocked!.Quantity.Should().Be(5);
    }

    [StoreFact]
    public async Task StoresPaymentsAndShipmentsOfAnOrder()
    {
        await Orders.CreateAsync(Order("o1", 1));
        await Orders.AddPaymentAsync(new Payment("pay_1", "o1", "completed", 19.99m, "EUR", "card", null, T0));
        await Orders.AddShipmentAsync(new Shipment("shp_1", "o1", "in_transit", "DHL", "T1", T0.AddDays(2), null, T0));
        var paymentForMissingOrder = () => Orders.AddPaymentAsync(new Payment("pay_2", "nope", "completed", 1, "EUR", "card", null, T0));
        await paymentForMissingOrder.Should().ThrowAsync<System.Data.Common.DbException>("foreign keys are enforced");
    }

    [StoreFact]
    public async Task CountsViewsAndUniqueViewersOverThePeriod()
    {
        await Listings.RecordViewAsync("lst_1", "a", T0, TimeSpan.FromHours(24));
        await Listings.RecordViewAsync("lst_1", "a", T0.AddHours(1), TimeSpan.FromHours(24));
        var views = await Listings.RecordViewAsync("lst_1", "b", T0.AddHours(2), TimeSpan.FromHours(24));
        views.Should().Be(new ListingViews("lst_1", 3, 2, "24h"));

        var later = await Listings.RecordViewAsync("lst_1", "c", T0.AddHours(24.5), TimeSpan.FromHours(24));
        later.Should().Be(new ListingViews("lst_1", 3, 3, "24h"), "the first view is older than the period");
        SqliteListingStore.FormatPeriod(TimeSpan.FromMinutes(90)).Should().Be("90m");
        SqliteListingStore.FormatPeriod(TimeSpan.FromSeconds(45)).Should().Be("45s");
    }
}

public sealed class SqliteOrderAndListingStoreTests : OrderAndListingStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.SqliteAsync();
}

[RequiresPostgres]
public sealed class PostgresOrderAndListingStoreTests : OrderAndListingStoreTests
{
    internal override Task<StoreDatabase> CreateDatabaseAsync() => StoreDatabase.PostgresAsync();
}
