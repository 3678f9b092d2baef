using System.Text.Json.Serialization;

namespace MarketplaceEvents.Contracts.Events;

/// <summary>The acknowledgement of <c>health.check</c>: {status: "ok", timestamp}.</summary>
internal sealed record HealthCheckAck(string Status, string Timestamp);

/// <summary>The server's application-level <c>ping</c> {timestamp}; clients answer <c>pong</c> {timestamp}.</summary>
internal sealed record PingEvent(string Timestamp);

/// <summary>The acknowledgement of a successful <c>auth</c> event: {ok: true, user}.</summary>
internal sealed record AuthAck(AuthenticatedUser User)
{
    [JsonPropertyOrder(-1)]
    public bool Ok => true;
}

internal sealed record AuthenticatedUser(string Id, string Name, string Role, string? Avatar);
