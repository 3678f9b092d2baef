using System.Text.Json.Serialization;

namespace MarketplaceEvents.Contracts.Events;

/// <summary><c>order.status</c> {orderId, status, previousStatus (null for a new order), timestamp, updatedBy: {id, role}, metadata?}.</summary>
internal sealed record OrderStatusEvent(
    string OrderId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PreviousStatus,
    string Timestamp,
    UpdatedBy UpdatedBy,
    OrderStatusMetadata? Metadata);

internal sealed record UpdatedBy(string Id, string Role);

internal sealed record OrderStatusMetadata(string? Reason, string? EstimatedDelivery, string? TrackingNumber);

/// <summary><c>order.payment</c> {orderId, status, amount, currency, paymentMethod, timestamp, transactionId?}.</summary>
internal sealed record OrderPaymentEvent(
    string OrderId,
    string Status,
    decimal Amount,
    string Currency,
    string PaymentMethod,
    string Timestamp,
    string? TransactionId);

/// <summary><c>order.shipping</c> {orderId, status, carrier?, trackingNumber?, estimatedDelivery?, location?}.</summary>
internal sealed record OrderShippingEvent(
    string OrderId,
    string Status,
    string? Carrier,
    string? TrackingNumber,
    string? EstimatedDelivery,
    string? Location);

/// <summary><c>order.error</c> {code, message, orderId, operation, timestamp}.</summary>
internal sealed record OrderErrorEvent(string Code, string Message, string OrderId, string Operation, string Timestamp);
