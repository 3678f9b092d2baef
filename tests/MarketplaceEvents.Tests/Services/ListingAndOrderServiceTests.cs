using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Tests.Services;

public sealed class ListingAndOrderServiceTests : IAsyncLifetime
{
    private ServiceFixture _f = null!;
    private string _listingId = null!;
    private readonly UserIdentity _provider = TestUsers.Provider();
    private readonly UserIdentity _buyer = TestUsers.Buyer();

    public async Task InitializeAsync()
    {
        _f = await ServiceFixture.CreateAsync();
        _listingId = (await _f.ListingService.CreateAsync(_provider, new CreateListingRequest("Lamp", 20m, "EUR", 10, 3))).Id;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task EmitsOneListingUpdatePerKindThatChanged()
    {
        await _f.ListingService.UpdateAsync(_provider, _listingId, new UpdateListingRequest(25m, ListingAvailability.Available, ListingStatus.Paused));
        var updates = _f.Emitter.Of(EventNames.ListingUpdate).Select(e => (ListingUpdateEvent)e.Payload).ToArray();
        updates.Select(u => (u.Type, u.Changes)).Should().Equal(("price", new ListingChange(20m, 25m)), ("status", new ListingChange("active", "paused")));
        _f.Emitter.Of(EventNames.ListingUpdate).Should().OnlyContain(e => e.Target == "listing:" + _listingId);

        await _f.ListingService.UpdateAsync(_provider, _listingId, new UpdateListingRequest(25m, null, null));
        _f.Emitter.Of(EventNames.ListingUpdate).Should().HaveCount(2, "nothing changed the second time");
    }

    [Fact]
    public async Task OnlyTheProviderOrAnAdminChangesAListing()
    {
        (await _f.ListingService.UpdateStockAsync(TestUsers.Provider("rival"), _listingId, 1)).Error!.Code.Should().Be(ErrorCodes.Forbidden);
        (await _f.ListingService.UpdateStockAsync(TestUsers.Admin(), _listingId, 2)).Value!.StockStatus.Should().Be("low_stock");
        (await _f.ListingService.UpdateAsync(_provider, "lst_missing", new UpdateListingRequest(1m, null, null))).Error!.Code.Should().Be(ErrorCodes.NotFound);
        ((ListingStockEvent)_f.Emitter.Of(EventNames.ListingStock).Single().Payload).Should().Be(new ListingStockEvent(_listingId, 2, "low_stock", 3));
    }

    [Fact]
    public async Task AnOrderTakesStockAndTellsBothParties()
    {
        var order = await _f.OrderService.CreateAsync(_buyer, new CreateOrderRequest(_listingId, 8));
        order.Value!.ProviderId.Should().Be(_provider.Id);
        order.Value.UnitPrice.Should().Be(20m);

        var status = _f.Emitter.Of(EventNames.OrderStatus).Single();
        status.Target.Should().Be($"users:{_buyer.Id},{_provider.Id}");
        ((OrderStatusEvent)status.Payload).Should().BeEquivalentTo(new { Status = "pending", PreviousStatus = (string?)null, UpdatedBy = new UpdatedBy(_buyer.Id, "user") });
        ((ListingStockEvent)_f.Emitter.Of(EventNames.ListingStock).Single().Payload).Quantity.Should().Be(2);

        (await _f.OrderService.CreateAsync(_buyer, new CreateOrderRequest(_listingId, 3))).Error!.Code.Should().Be(ErrorCodes.InsufficientStock);
    }

    [Fact]
    public async Task AnInvalidTransitionIsA409AndAnOrderErrorToTheCaller()
    {
        var order = (await _f.OrderService.CreateAsync(_buyer, new CreateOrderRequest(_listingId, 1))).Value!;
        var result = await _f.OrderService.UpdateStatusAsync(_provider, order.Id, new UpdateOrderStatusRequest(OrderStatus.Delivered, null, null, null));

        result.Error!.HttpStatus.Should().Be(409);
        result.Error.Code.Should().Be(ErrorCodes.InvalidTransition);
        var error = _f.Emitter.Of(EventNames.OrderError).Single();
        error.Target.Should().Be($"users:{_provider.Id}");
        ((OrderErrorEvent)error.Payload).Should().BeEquivalentTo(new { Code = ErrorCodes.InvalidTransition, OrderId = order.Id, Operation = "status" });
        (await _f.Orders.GetAsync(order.Id))!.Status.Should().Be(OrderStatus.Pending);
    }

    [Fact]
    public async Task TheBuyerCannotMoveTheOrderButSeesEveryStep()
    {
        var order = (await _f.OrderService.CreateAsync(_buyer, new CreateOrderRequest(_listingId, 1))).Value!;
        (await _f.OrderService.UpdateStatusAsync(_buyer, order.Id, new UpdateOrderStatusRequest(OrderStatus.Confirmed, null, null, null))).Error!.Code.Should().Be(ErrorCodes.Forbidden);
        (await _f.OrderService.UpdateStatusAsync(_provider, order.Id, new UpdateOrderStatusRequest(OrderStatus.Confirmed, "ok", null, null))).Succeeded.Should().BeTrue();
        var last = (OrderStatusEvent)_f.Emitter.Of(EventNames.OrderStatus).Last().Payload;
        last.PreviousStatus.Should().Be(OrderStatus.Pending);
        last.Metadata.Should().Be(new OrderStatusMetadata("ok", null, null));
        (await _f.OrderService.GetAsync(TestUsers.Buyer("nosy"), order.Id)).Error!.Code.Should().Be(ErrorCodes.NotFound);
    }

    [Fact]
    public async Task PaymentsComeFromAPartyAndShippingFromTheProvider()
    {
        var order = (await _f.OrderService.CreateAsync(_buyer, new CreateOrderRequest(_listingId, 1))).Value!;
        var payment = await _f.OrderService.AddPaymentAsync(_buyer, order.Id, new PaymentRequest("completed", 20m, "EUR", "card", "tx"));
        payment.Value!.Id.Should().StartWith("pay_");
        ((OrderPaymentEvent)_f.Emitter.Of(EventNames.OrderPayment).Single().Payload).TransactionId.Should().Be("tx");
        (await _f.OrderService.AddPaymentAsync(TestUsers.Buyer("nosy"), order.Id, new PaymentRequest("completed", 1m, "EUR", "card", null))).Error!.Code.Should().Be(ErrorCodes.NotFound);

        (await _f.OrderService.AddShipmentAsync(_buyer, order.Id, new ShippingRequest("in_transit", null, null, null, null))).Error!.Code.Should().Be(ErrorCodes.Forbidden);
        (await _f.OrderService.AddShipmentAsync(_provider, order.Id, new ShippingRequest("in_transit", "DHL", null, null, null))).Succeeded.Should().BeTrue();
        await _f.OrderService.UpdateStatusAsync(_provider, order.Id, new UpdateOrderStatusRequest(OrderStatus.Cancelled, null, null, null));
        (await _f.OrderService.AddShipmentAsync(_provider, order.Id, new ShippingRequest("in_transit", null, null, null, null))).Error!.Code.Should().Be(ErrorCodes.InvalidTransition);
        ((OrderErrorEvent)_f.Emitter.Of(EventNames.OrderError).Single().Payload).Operation.Should().Be("shipping");
    }

    [Fact]
    public async Task TheProviderIsNotifiedOfANewOrderAndTheBuyerOfEachStatusChange()
    {
        _f.Emitter.Online.Add(_provider.Id); // the buyer is offline: its notifications wait in its queue
        var order = (await _f.OrderService.CreateAsync(_buyer, new CreateOrderRequest(_listingId, 2))).Value!;
        await _f.OrderService.UpdateStatusAsync(_provider, order.Id, new UpdateOrderStatusRequest(OrderStatus.Confirmed, null, null, null));
        await _f.OrderService.UpdateStatusAsync(_provider, order.Id, new UpdateOrderStatusRequest(OrderStatus.Processing, null, null, null));
        await _f.OrderService.UpdateStatusAsync(_provider, order.Id, new UpdateOrderStatusRequest(OrderStatus.Delivered, null, null, null));

        var toProvider = _f.Emitter.Of(EventNames.NotificationUser).Single();
        toProvider.Target.Should().Be($"users:{_provider.Id}");
        ((UserNotificationEvent)toProvider.Payload).Should().BeEquivalentTo(new { Type = "order", Title = "New order", Message = $"{_buyer.Name} ordered 2 × Lamp.", Read = false });
        ((UserNotificationEvent)toProvider.Payload).Metadata.GetRawText().Should().Be($$"""{"orderId":"{{order.Id}}","listingId":"{{_listingId}}","status":"pending"}""");

        var queued = await _f.Notifications.GetUndeliveredAsync(_buyer.Id, 10);
        queued.Select(n => (n.Title, n.Message)).Should().Equal(
            ("Order confirmed", "Your order of 2 × Lamp is confirmed."),
            ("Order processing", "Your order of 2 × Lamp is processing."));
        queued.Should().OnlyContain(n => n.Type == "order" && n.Metadata!.Value.GetProperty("orderId").GetString() == order.Id);
        (await _f.Notifications.GetUndeliveredAsync(_provider.Id, 10)).Should().BeEmpty("the provider was online: delivered at once");
    }
}
