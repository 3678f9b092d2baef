using System.Collections.Concurrent;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Storage;
using SocketIo;

namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>
/// The older store dashboard feed at <c>/api/v1/websocket</c>: a provider's connection is scoped to its store (its
/// listings and their orders; an admin picks one with <c>?storeId=</c>). Messages <c>{type, data, timestamp, userId,
/// storeId, sessionId}</c>: <c>ORDER_CREATED</c>, <c>ORDER_UPDATED</c> (payments, shipping),
/// <c>ORDER_STATUS_CHANGED</c>, <c>PRODUCT_UPDATED</c>, <c>CUSTOMER_CREATED</c> (a buyer's first order from the store
/// since the service started), <c>USER_JOINED</c> / <c>USER_LEFT</c> (the store's staff connecting) and
/// <c>GENERAL_NOTIFICATION</c> (a welcome on connect, and system notifications). Authenticated like the REST API.
/// </summary>
internal sealed partial class StoreDashboardFeed(SocketIoServer io, TokenValidator tokens, IOrderStore orders, IListingStore listings, ILogger<StoreDashboardFeed> logger)
{
    public const string Path = "/api/v1/websocket";
    public const string NamespaceName = "/plain/dashboard";

    private readonly ConcurrentDictionary<(string Store, string Buyer), byte> _customers = new();

    private SocketIoNamespace Namespace => io.Of(NamespaceName);

    private static string StoreRoom(string storeId) => "store:" + storeId;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var nsp = Namespace;
        nsp.Use(async (socket, _) =>
        {
            var user = await PlainApiAuth.AuthenticateAsync(socket, tokens, logger).ConfigureAwait(false);
            var store = user.IsAdmin && socket.Handshake.Query["storeId"].ToString() is { Length: > 0 } chosen ? chosen
                : user.Role == UserRole.Provider ? user.Id
                : null;
            if (store is null) PlainApiAuth.Refuse(socket, 4003, "A store dashboard is for the store's provider");
            socket.Data = new DashboardSession(user, store!);
        });
        nsp.OnConnection(OnConnection);
        endpoints.MapPlainWebSocket(Path, NamespaceName, o =>
        {
            // The older feed's envelopes had no message ids, but named the user, store and session.
            o.IdField = null;
            o.WriteExtraFields = (socket, writer) =>
            {
                if (socket.Data is not DashboardSession session) return;
                writer.WriteString("userId", session.User.Id);
                writer.WriteString("storeId", session.Store);
                writer.WriteString("sessionId", socket.Id);
            };
        });
    }

    private void OnConnection(SocketIoSocket socket)
    {
        if (socket.Data is not DashboardSession session) return;
        var room = StoreRoom(session.Store);
        socket.Emit("GENERAL_NOTIFICATION", new { title = "Welcome", message = $"Connected to the dashboard of store {session.Store}" });
        socket.To(room).Emit("USER_JOINED", new { userId = session.User.Id, name = session.User.Name });
        socket.Join(room);
        socket.Disconnecting += (s, _) => s.To(room).Emit("USER_LEFT", new { userId = session.User.Id, name = session.User.Name });
    }

    public void OnUserEvent(string eventName, object payload)
    {
        switch (payload)
        {
            case OrderStatusEvent status when eventName == EventNames.OrderStatus:
                _ = AnnounceOrderAsync(status.OrderId, status.PreviousStatus is null ? "ORDER_CREATED" : "ORDER_STATUS_CHANGED",
                    new { orderId = status.OrderId, status = status.Status, previousStatus = status.PreviousStatus });
                break;
            case OrderPaymentEvent payment when eventName == EventNames.OrderPayment:
                _ = AnnounceOrderAsync(payment.OrderId, "ORDER_UPDATED", new { orderId = payment.OrderId, payment = new { status = payment.Status, amount = payment.Amount, currency = payment.Currency } });
                break;
            case OrderShippingEvent shipping when eventName == EventNames.OrderShipping:
                _ = AnnounceOrderAsync(shipping.OrderId, "ORDER_UPDATED", new { orderId = shipping.OrderId, shipping = new { status = shipping.Status, carrier = shipping.Carrier, trackingNumber = shipping.TrackingNumber } });
                break;
        }
    }

    public void OnListingEvent(string eventName, object payload)
    {
        if (eventName == EventNames.ListingUpdate && payload is ListingUpdateEvent update)
            _ = AnnounceListingAsync(update.ListingId, new { productId = update.ListingId, change = update.Type, previous = update.Changes.Previous, current = update.Changes.Current });
        else if (eventName == EventNames.ListingStock && payload is ListingStockEvent stock)
            _ = AnnounceListingAsync(stock.ListingId, new { productId = stock.ListingId, change = "stock", quantity = stock.Quantity, stockStatus = stock.Status });
    }

    public void OnEveryoneEvent(string eventName, object payload)
    {
        if (eventName == EventNames.NotificationSystem && payload is SystemNotificationEvent notification)
            Namespace.Emit("GENERAL_NOTIFICATION", new { title = notification.Title, message = notification.Message, priority = notification.Priority });
    }

    private async Task AnnounceOrderAsync(string orderId, string type, object data)
    {
        try
        {
            var order = await orders.GetAsync(orderId).ConfigureAwait(false);
            if (order is null) return;
            var room = Namespace.To(StoreRoom(order.ProviderId));
            if (type == "ORDER_CREATED" && _customers.TryAdd((order.ProviderId, order.BuyerId), 0))
                room.Emit("CUSTOMER_CREATED", new { customerId = order.BuyerId, firstOrderId = order.Id });
            room.Emit(type, data);
        }
        catch (Exception ex)
        {
            // A dashboard notice is best effort: the order itself is stored and announced elsewhere.
            Log.NotAnnounced(logger, "order", orderId, ex);
        }
    }

    private async Task AnnounceListingAsync(string listingId, object data)
    {
        try
        {
            var listing = await listings.GetAsync(listingId).ConfigureAwait(false);
            if (listing is not null) Namespace.To(StoreRoom(listing.ProviderId)).Emit("PRODUCT_UPDATED", data);
        }
        catch (Exception ex)
        {
            Log.NotAnnounced(logger, "listing", listingId, ex);
        }
    }

    private sealed record DashboardSession(UserIdentity User, string Store);

    private static partial class Log
    {
        [LoggerMessage(901, LogLevel.Warning, "Store dashboard: {What} {Id} could not be announced.", EventName = "DashboardNotAnnounced")]
        public static partial void NotAnnounced(ILogger logger, string what, string id, Exception exception);
    }
}
