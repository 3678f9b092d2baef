using System.Text.Json;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Validation;

namespace MarketplaceEvents.Contracts.Requests;

/// <summary><c>POST /api/conversations</c> {participantIds}; the caller is added.</summary>
internal sealed record CreateConversationRequest(IReadOnlyList<string> ParticipantIds)
{
    public const int MaxParticipants = 50;

    public static CreateConversationRequest? Read(PayloadReader r)
    {
        var ids = r.IdArray("participantIds", required: true, 1, MaxParticipants);
        return r.Errors.Count > 0 ? null : new CreateConversationRequest(ids!);
    }
}

/// <summary><c>POST /api/listings</c> {title, price, currency, quantity, lowStockThreshold?}.</summary>
internal sealed record CreateListingRequest(string Title, decimal Price, string Currency, int Quantity, int LowStockThreshold)
{
    public const decimal MaxPrice = 1_000_000_000m;
    public const int MaxQuantity = 1_000_000;

    public static CreateListingRequest? Read(PayloadReader r)
    {
        var title = r.String("title", required: true, 200);
        var price = r.Decimal("price", required: true, 0, MaxPrice);
        var currency = r.Currency("currency", required: true);
        var quantity = r.Int("quantity", required: true, 0, MaxQuantity);
        var threshold = r.Int("lowStockThreshold", required: false, 0, MaxQuantity) ?? Listing.DefaultLowStockThreshold;
        return r.Errors.Count > 0 ? null : new CreateListingRequest(title!, price!.Value, currency!, quantity!.Value, threshold);
    }
}

/// <summary><c>PATCH /api/listings/{id}</c> {price?, availability?, status?}: at least one.</summary>
internal sealed record UpdateListingRequest(decimal? Price, string? Availability, string? Status)
{
    public static UpdateListingRequest? Read(PayloadReader r)
    {
        var price = r.Decimal("price", required: false, 0, CreateListingRequest.MaxPrice);
        var availability = r.Enum("availability", required: false, ListingAvailability.All);
        var status = r.Enum("status", required: false, ListingStatus.All);
        if (r.Errors.Count == 0 && price is null && availability is null && status is null)
        {
            r.AddError("price, availability or status", "is required");
        }
        return r.Errors.Count > 0 ? null : new UpdateListingRequest(price, availability, status);
    }
}

/// <summary><c>PATCH /api/listings/{id}/stock</c> {quantity}.</summary>
internal sealed record UpdateStockRequest(int Quantity)
{
    public static UpdateStockRequest? Read(PayloadReader r)
    {
        var quantity = r.Int("quantity", required: true, 0, CreateListingRequest.MaxQuantity);
        return r.Errors.Count > 0 ? null : new UpdateStockRequest(quantity!.Value);
    }
}

/// <summary><c>POST /api/orders</c> {listingId, quantity}.</summary>
internal sealed record CreateOrderRequest(string ListingId, int Quantity)
{
    public static CreateOrderRequest? Read(PayloadReader r)
    {
        var listingId = r.Id("listingId");
        var quantity = r.Int("quantity", required: true, 1, 10_000);
        return r.Errors.Count > 0 ? null : new CreateOrderRequest(listingId!, quantity!.Value);
    }
}

/// <summary><c>PATCH /api/orders/{id}/status</c> {status, reason?, estimatedDelivery?, trackingNumber?}.</summary>
internal sealed record UpdateOrderStatusRequest(string Status, string? Reason, DateTimeOffset? EstimatedDelivery, string? TrackingNumber)
{
    public static UpdateOrderStatusRequest? Read(PayloadReader r)
    {
        var status = r.Enum("status", required: true, OrderStatus.All);
        var reason = r.String("reason", required: false, 500);
        var estimated = r.Timestamp("estimatedDelivery", required: false);
        var tracking = r.String("trackingNumber", required: false, 100);
        return r.Errors.Count > 0 ? null : new UpdateOrderStatusRequest(status!, reason, estimated, tracking);
    }
}

/// <summary><c>POST /api/orders/{id}/payment</c> {status, amount, currency, paymentMethod, transactionId?}.</summary>
internal sealed record PaymentRequest(string Status, decimal Amount, string Currency, string PaymentMethod, string? TransactionId)
{
    public static PaymentRequest? Read(PayloadReader r)
    {
        var status = r.Enum("status", required: true, PaymentStatus.All);
        var amount = r.Decimal("amount", required: true, 0, CreateListingRequest.MaxPrice * 10_000);
        var currency = r.Currency("currency", required: true);
        var method = r.String("paymentMethod", required: true, 50);
        var transaction = r.String("transactionId", required: false, 128);
        return r.Errors.Count > 0 ? null : new PaymentRequest(status!, amount!.Value, currency!, method!, transaction);
    }
}

/// <summary><c>POST /api/orders/{id}/shipping</c> {status, carrier?, trackingNumber?, estimatedDelivery?, location?}.</summary>
internal sealed record ShippingRequest(string Status, string? Carrier, string? TrackingNumber, DateTimeOffset? EstimatedDelivery, string? Location)
{
    public static ShippingRequest? Read(PayloadReader r)
    {
        var status = r.Enum("status", required: true, ShipmentStatus.All);
        var carrier = r.String("carrier", required: false, 100);
        var tracking = r.String("trackingNumber", required: false, 100);
        var estimated = r.Timestamp("estimatedDelivery", required: false);
        var location = r.String("location", required: false, 200);
        return r.Errors.Count > 0 ? null : new ShippingRequest(status!, carrier, tracking, estimated, location);
    }
}

/// <summary><c>POST /api/notifications</c> {userId?, type, title, message, priority?, metadata?, action?, expiry?}.</summary>
internal sealed record CreateNotificationRequest(
    string? UserId, string Type, string Title, string Message, string Priority, JsonElement? Metadata, JsonElement? Action, DateTimeOffset? Expiry)
{
    public static CreateNotificationRequest? Read(PayloadReader r)
    {
        var userId = r.Id("userId", required: false);
        var type = r.String("type", required: true, 64);
        var title = r.String("title", required: true, 200);
        var message = r.String("message", required: true, 2000);
        var priority = r.Enum("priority", required: false, NotificationPriority.All) ?? NotificationPriority.Normal;
        var metadata = r.RawObject("metadata", required: false);
        var action = r.RawStringOrObject("action", required: false);
        var expiry = r.Timestamp("expiry", required: false);
        return r.Errors.Count > 0 ? null : new CreateNotificationRequest(userId, type!, title!, message!, priority, metadata, action, expiry);
    }
}
