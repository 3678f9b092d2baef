using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Contracts.Resources;

/// <summary>An order in the REST API.</summary>
internal sealed record OrderResource(
    string Id,
    string ListingId,
    string BuyerId,
    string ProviderId,
    int Quantity,
    decimal UnitPrice,
    string Currency,
    string Status,
    string CreatedAt,
    string UpdatedAt)
{
    public static OrderResource From(Order o) => new(
        o.Id, o.ListingId, o.BuyerId, o.ProviderId, o.Quantity, o.UnitPrice, o.Currency, o.Status,
        Timestamps.ToIso(o.CreatedAt), Timestamps.ToIso(o.UpdatedAt));
}

/// <summary>A payment record in the REST API.</summary>
internal sealed record PaymentResource(
    string Id, string OrderId, string Status, decimal Amount, string Currency, string PaymentMethod, string? TransactionId, string Timestamp)
{
    public static PaymentResource From(Payment p) =>
        new(p.Id, p.OrderId, p.Status, p.Amount, p.Currency, p.PaymentMethod, p.TransactionId, Timestamps.ToIso(p.CreatedAt));
}

/// <summary>A shipment record in the REST API.</summary>
internal sealed record ShipmentResource(
    string Id, string OrderId, string Status, string? Carrier, string? TrackingNumber, string? EstimatedDelivery, string? Location, string Timestamp)
{
    public static ShipmentResource From(Shipment s) => new(
        s.Id, s.OrderId, s.Status, s.Carrier, s.TrackingNumber, Timestamps.ToIso(s.EstimatedDelivery), s.Location, Timestamps.ToIso(s.CreatedAt));
}
