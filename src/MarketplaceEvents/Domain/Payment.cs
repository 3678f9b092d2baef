namespace MarketplaceEvents.Domain;

/// <summary>A payment event of an order, as reported through the REST API.</summary>
internal sealed record Payment(
    string Id,
    string OrderId,
    string Status,
    decimal Amount,
    string Currency,
    string PaymentMethod,
    string? TransactionId,
    DateTimeOffset CreatedAt);

/// <summary>The values of <see cref="Payment.Status"/>.</summary>
internal static class PaymentStatus
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "pending", "authorized", "completed", "failed", "refunded",
    };
}
