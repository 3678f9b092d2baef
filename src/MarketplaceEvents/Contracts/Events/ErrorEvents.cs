using System.Text.Json.Serialization;

namespace MarketplaceEvents.Contracts.Events;

/// <summary><c>error</c> {code, message, retryAfter?}.</summary>
internal sealed record ErrorEvent(string Code, string Message, int? RetryAfter = null);

/// <summary>The error inside a failed acknowledgement.</summary>
internal sealed record AckError(string Code, string Message, int? RetryAfter = null);

/// <summary>A failed acknowledgement: <c>{ok: false, error: {code, message}}</c>.</summary>
internal sealed record AckFailure(AckError Error)
{
    [JsonPropertyOrder(-1)]
    public bool Ok => false;
}

/// <summary>A successful acknowledgement without data: <c>{ok: true}</c>.</summary>
internal sealed record AckSuccess
{
    public static readonly AckSuccess Instance = new();

    [JsonPropertyOrder(-1)]
    public bool Ok => true;
}
