namespace MarketplaceEvents.Domain;

/// <summary>
/// An order's statuses and the transitions between them: pending → confirmed → processing → shipped → delivered, and
/// cancelled from pending or confirmed. Delivered and cancelled are final.
/// </summary>
internal static class OrderStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Processing = "processing";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Pending, Confirmed, Processing, Shipped, Delivered, Cancelled,
    };

    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Pending, Confirmed) => true,
        (Confirmed, Processing) => true,
        (Processing, Shipped) => true,
        (Shipped, Delivered) => true,
        (Pending or Confirmed, Cancelled) => true,
        _ => false,
    };
}
