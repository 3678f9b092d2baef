namespace MarketplaceEvents.Domain;

/// <summary>A shipping update of an order, as reported through the REST API.</summary>
internal sealed record Shipment(
    string Id,
    string OrderId,
    string Status,
    string? Carrier,
    string? TrackingNumber,
    DateTimeOffset? EstimatedDelivery,
    string? Location,
    DateTimeOffset CreatedAt);

/// <summary>The values of <see cref="Shipment.Status"/>.</summary>
internal static class ShipmentStatus
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "pending", "label_created", "in_transit", "out_for_delivery", "delivered", "exception", "returned",
    };
}
