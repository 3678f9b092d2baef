namespace MarketplaceEvents.Realtime;

/// <summary>Thrown by the rate-limit middleware to drop an event the client has already been told about.</summary>
internal sealed class EventRateLimitedException(string eventName)
    : Exception($"Event '{eventName}' refused: rate limit reached.");
