using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage.Sqlite;

namespace MarketplaceEvents.Tests.Storage;

public sealed class SqliteOrderAndListingStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TempDatabase _temp = null!;
    private SqliteListingStore _listings = null!;
    private SqliteOrderStore _orders = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _listings = new SqliteListingStore(_temp.Database);
        _orders = new SqliteOrderStore(_temp.Database);
        await _listings.CreateAsync(new Listing("lst_1", "p", "Lamp", 19.99m, "EUR", 5, 2, ListingAvailability.Available, ListingStatus.Active, T0, T0));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private static Order Order(string id, int quantity) => new(id, "lst_1", "b", "p", quantity, 19.99m, "EUR", OrderStatus.Pending, T0, T0);

    [Fact]
    public async Task KeepsMoneyExact()
    {
        await _listings.CreateAsync(new Listing("lst_2", "p", "Pricey", 12345678.9012m, "USD", 1, 0, "available", "active", T0, T0));
        (await _listings.GetAsync("lst_2"))!.Price.Should().Be(12345678.9012m);
        (await _listings.ListAsync("p", 10)).Select(l => l.Id).Should().BeEquivalentTo("lst_1", "lst_2");
        (await _listings.ListAsync("other", 10)).Should().BeEmpty();
    }

    [Fact]
    public async Task TakesTheOrderedQuantityFromTheStockInTheSameTransaction()
    {
        var after = await _orders.CreateAsync(Order("o1", 3));
        after!.Quantity.Should().Be(2);
        (await _orders.GetAsync("o1"))!.Quantity.Should().Be(3);

        (await _orders.CreateAsync(Order("o2", 3))).Should().BeNull("only 2 are left");
        (await _orders.GetAsync("o2")).Should().BeNull("a refused order is not stored");
        (await _listings.GetAsync("lst_1"))!.Quantity.Should().Be(2);
    }

    [Fact]
    public async Task NeverSellsMoreThanTheStockToConcurrentBuyers()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => _orders.CreateAsync(Order("race" + i, 1)))));
        results.Count(r => r is not null).Should().Be(5);
        (await _listings.GetAsync("lst_1"))!.Quantity.Should().Be(0);
    }

    [Fact]
    public async Task MovesAnOrderOnlyFromTheStatusItIsIn()
    {
        await _orders.CreateAsync(Order("o1", 1));
        (await _orders.TransitionAsync("o1", OrderStatus.Pending, OrderStatus.Confirmed, T0.AddMinutes(1))).Should().Be((true, (Listing?)null));
        (await _orders.TransitionAsync("o1", OrderStatus.Pending, OrderStatus.Cancelled, T0.AddMinutes(2))).Moved.Should().BeFalse("it is no longer pending");
        var order = await _orders.GetAsync("o1");
        order!.Status.Should().Be(OrderStatus.Confirmed);
        order.UpdatedAt.Should().Be(T0.AddMinutes(1));
    }

    [Fact]
    public async Task ReturnsTheQuantityToTheStockWhenCancelled()
    {
        await _orders.CreateAsync(Order("o1", 4));
        var (moved, restocked) = await _orders.TransitionAsync("o1", OrderStatus.Pending, OrderStatus.Cancelled, T0.AddMinutes(1));
        moved.Should().BeTrue();
        restocked!.Quantity.Should().Be(5);
    }

    [Fact]
    public async Task StoresPaymentsAndShipmentsOfAnOrder()
    {
        await _orders.CreateAsync(Order("o1", 1));
        await _orders.AddPaymentAsync(new Payment("pay_1", "o1", "completed", 19.99m, "EUR", "card", null, T0));
        await _orders.AddShipmentAsync(new Shipment("shp_1", "o1", "in_transit", "DHL", "T1", T0.AddDays(2), null, T0));
        var paymentForMissingOrder = () => _orders.AddPaymentAsync(new Payment("pay_2", "nope", "completed", 1, "EUR", "card", null, T0));
        await paymentForMissingOrder.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>("foreign keys are enforced");
    }

    [Fact]
    public async Task CountsViewsAndUniqueViewersOverThePeriod()
    {
        await _listings.RecordViewAsync("lst_1", "a", T0, TimeSpan.FromHours(24));
        await _listings.RecordViewAsync("lst_1", "a", T0.AddHours(1), TimeSpan.FromHours(24));
        var views = await _listings.RecordViewAsync("lst_1", "b", T0.AddHours(2), TimeSpan.FromHours(24));
        views.Should().Be(new ListingViews("lst_1", 3, 2, "24h"));

        var later = await _listings.RecordViewAsync("lst_1", "c", T0.AddHours(24.5), TimeSpan.FromHours(24));
        later.Should().Be(new ListingViews("lst_1", 3, 3, "24h"), "the first view is older than the period");
        SqliteListingStore.FormatPeriod(TimeSpan.FromMinutes(90)).Should().Be("90m");
        SqliteListingStore.FormatPeriod(TimeSpan.FromSeconds(45)).Should().Be("45s");
    }
}
