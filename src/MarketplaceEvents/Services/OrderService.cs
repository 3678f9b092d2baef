using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Contracts.Resources;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Storage;

namespace MarketplaceEvents.Services;

/// <summary>
/// Orders: placed by buyers against a listing's stock, moved through their status machine by the provider or an
/// admin, with payments and shipments; the buyer and the provider hear of every change. The provider is also notified
/// of a new order, and the buyer of each status change (<c>notification.user</c> of type <c>order</c>, stored, so
/// that it waits for a user who is offline).
/// </summary>
internal sealed class OrderService(
    IOrderStore orders,
    IListingStore listings,
    ListingService listingService,
    NotificationService notifications,
    IRealtimeEmitter emitter,
    TimeProvider time)
{
    public const string NotificationType = "order";
    public const string OperationStatus = "status";
    public const string OperationPayment = "payment";
    public const string OperationShipping = "shipping";

    public async Task<ServiceResult<OrderResource>> CreateAsync(UserIdentity buyer, CreateOrderRequest request, CancellationToken cancellationToken = default)
    {
        var listing = await listings.GetAsync(request.ListingId, cancellationToken).ConfigureAwait(false);
        if (listing is null) return MarketplaceError.NotFound("Listing");
        if (!listing.IsOrderable) return MarketplaceError.Conflict(ErrorCodes.ListingUnavailable, "The listing is not available for orders");

        var now = Timestamps.Truncate(time.GetUtcNow());
        var order = new Order(Ids.New(Ids.Order), listing.Id, buyer.Id, listing.ProviderId, request.Quantity, listing.Price, listing.Currency,
            OrderStatus.Pending, now, now);
        var restocked = await orders.CreateAsync(order, cancellationToken).ConfigureAwait(false);
        if (restocked is null) return MarketplaceError.Conflict(ErrorCodes.InsufficientStock, $"Only {listing.Quantity} left in stock");

        emitter.ToUsers([order.BuyerId, order.ProviderId], EventNames.OrderStatus,
            new OrderStatusEvent(order.Id, order.Status, null, Timestamps.ToIso(now), new UpdatedBy(buyer.Id, buyer.Role), null));
        listingService.AnnounceStock(restocked);
        await notifications.NotifyUserAsync(order.ProviderId, NotificationType, "New order",
            $"{buyer.Name} ordered {order.Quantity} × {listing.Title}.", Metadata(order, order.Status), cancellationToken).ConfigureAwait(false);
        return OrderResource.From(order);
    }

    public async Task<ServiceResult<OrderResource>> GetAsync(UserIdentity caller, string orderId, CancellationToken cancellationToken = default)
    {
        var order = await orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order is null || (!order.IsParty(caller.Id) && !caller.IsAdmin)) return MarketplaceError.NotFound("Order");
        return OrderResource.From(order);
    }

    /// <summary>
    /// Moves an order along its status machine. An invalid transition is refused with 409 and the caller's
    /// connections get <c>order.error</c>.
    /// </summary>
    public async Task<ServiceResult<OrderResource>> UpdateStatusAsync(UserIdentity caller, string orderId, UpdateOrderStatusRequest request, CancellationToken cancellationToken = default)
    {
        var order = await orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order is null) return MarketplaceError.NotFound("Order");
        if (order.ProviderId != caller.Id && !caller.IsAdmin) return MarketplaceError.Forbidden("Only the order's provider or an admin may change its status");

        var now = Timestamps.Truncate(time.GetUtcNow());
        if (!OrderStatus.CanMove(order.Status, request.Status))
        {
            return RefuseTransition(caller, order, request.Status, now);
        }
        var (moved, restocked) = await orders.TransitionAsync(order.Id, order.Status, request.Status, now, cancellationToken).ConfigureAwait(false);
        if (!moved)
        {
            // Another request changed the status between the read and the write.
            var current = await orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false) ?? order;
            return RefuseTransition(caller, current, request.Status, now);
        }

        var metadata = request.Reason is null && request.EstimatedDelivery is null && request.TrackingNumber is null
            ? null
            : new OrderStatusMetadata(request.Reason, Timestamps.ToIso(request.EstimatedDelivery), request.TrackingNumber);
        emitter.ToUsers([order.BuyerId, order.ProviderId], EventNames.OrderStatus,
            new OrderStatusEvent(order.Id, request.Status, order.Status, Timestamps.ToIso(now), new UpdatedBy(caller.Id, caller.Role), metadata));
        if (restocked is not null) listingService.AnnounceStock(restocked);
        var title = (await listings.GetAsync(order.ListingId, cancellationToken).ConfigureAwait(false))?.Title ?? order.ListingId;
        await notifications.NotifyUserAsync(order.BuyerId, NotificationType, $"Order {request.Status}",
            $"Your order of {order.Quantity} × {title} is {request.Status}.", Metadata(order, request.Status), cancellationToken).ConfigureAwait(false);
        return OrderResource.From(order with { Status = request.Status, UpdatedAt = now });
    }

    /// <summary>Records a payment event (the buyer, the provider or an admin may report one).</summary>
    public async Task<ServiceResult<PaymentResource>> AddPaymentAsync(UserIdentity caller, string orderId, PaymentRequest request, CancellationToken cancellationToken = default)
    {
        var order = await orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order is null || (!order.IsParty(caller.Id) && !caller.IsAdmin)) return MarketplaceError.NotFound("Order");

        var now = Timestamps.Truncate(time.GetUtcNow());
        var payment = new Payment(Ids.New(Ids.Payment), order.Id, request.Status, request.Amount, request.Currency, request.PaymentMethod, request.TransactionId, now);
        await orders.AddPaymentAsync(payment, cancellationToken).ConfigureAwait(false);
        emitter.ToUsers([order.BuyerId, order.ProviderId], EventNames.OrderPayment,
            new OrderPaymentEvent(order.Id, payment.Status, payment.Amount, payment.Currency, payment.PaymentMethod, Timestamps.ToIso(now), payment.TransactionId));
        return PaymentResource.From(payment);
    }

    /// <summary>Records a shipping update (the provider or an admin).</summary>
    public async Task<ServiceResult<ShipmentResource>> AddShipmentAsync(UserIdentity caller, string orderId, ShippingRequest request, CancellationToken cancellationToken = default)
    {
        var order = await orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order is null) return MarketplaceError.NotFound("Order");
        if (order.ProviderId != caller.Id && !caller.IsAdmin) return MarketplaceError.Forbidden("Only the order's provider or an admin may report shipping");
        var now = Timestamps.Truncate(time.GetUtcNow());
        if (order.Status == OrderStatus.Cancelled)
        {
            return Refuse(caller, order, ErrorCodes.InvalidTransition, "A cancelled order is not shipped", OperationShipping, now);
        }

        var shipment = new Shipment(Ids.New(Ids.Shipment), order.Id, request.Status, request.Carrier, request.TrackingNumber, request.EstimatedDelivery, request.Location, now);
        await orders.AddShipmentAsync(shipment, cancellationToken).ConfigureAwait(false);
        emitter.ToUsers([order.BuyerId, order.ProviderId], EventNames.OrderShipping,
            new OrderShippingEvent(order.Id, shipment.Status, shipment.Carrier, shipment.TrackingNumber, Timestamps.ToIso(shipment.EstimatedDelivery), shipment.Location));
        return ShipmentResource.From(shipment);
    }

    private static object Metadata(Order order, string status) => new { orderId = order.Id, listingId = order.ListingId, status };

    private MarketplaceError RefuseTransition(UserIdentity caller, Order order, string requested, DateTimeOffset now) =>
        Refuse(caller, order, ErrorCodes.InvalidTransition, $"An order cannot go from {order.Status} to {requested}", OperationStatus, now);

    private MarketplaceError Refuse(UserIdentity caller, Order order, string code, string message, string operation, DateTimeOffset now)
    {
        emitter.ToUsers([caller.Id], EventNames.OrderError, new OrderErrorEvent(code, message, order.Id, operation, Timestamps.ToIso(now)));
        return MarketplaceError.Conflict(code, message);
    }
}
