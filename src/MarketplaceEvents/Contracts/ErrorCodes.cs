namespace MarketplaceEvents.Contracts;

/// <summary>The <c>code</c> values of <c>error</c>, <c>chat.error</c>, <c>order.error</c>, error acks and connect errors.</summary>
internal static class ErrorCodes
{
    /// <summary>The payload violates the event's schema or size limit; nothing was processed.</summary>
    public const string InvalidPayload = "INVALID_PAYLOAD";

    /// <summary>Too many events, connections or connection attempts; <c>retryAfter</c> says when to try again (seconds).</summary>
    public const string RateLimit = "RATE_LIMIT";

    /// <summary>The token is missing, malformed, badly signed or expired, or the socket has not authenticated yet.</summary>
    public const string AuthFailed = "AUTH_FAILED";

    public const string NotFound = "NOT_FOUND";
    public const string Forbidden = "FORBIDDEN";
    public const string InvalidTransition = "INVALID_TRANSITION";
    public const string InsufficientStock = "INSUFFICIENT_STOCK";
    public const string ListingUnavailable = "LISTING_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
}
