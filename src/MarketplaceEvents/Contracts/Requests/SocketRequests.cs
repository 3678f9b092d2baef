using MarketplaceEvents.Validation;

namespace MarketplaceEvents.Contracts.Requests;

/// <summary><c>auth</c> {token}: authentication for clients that could set neither the auth payload nor the query.</summary>
internal sealed record AuthRequest(string Token)
{
    public static AuthRequest? Read(PayloadReader r)
    {
        var token = r.String("token", required: true, 8192);
        return r.Errors.Count > 0 ? null : new AuthRequest(token!);
    }
}

/// <summary><c>pong</c> {timestamp}: the answer to the server's application-level ping.</summary>
internal sealed record PongRequest(DateTimeOffset Timestamp)
{
    public static PongRequest? Read(PayloadReader r)
    {
        var timestamp = r.Timestamp("timestamp", required: true);
        return r.Errors.Count > 0 ? null : new PongRequest(timestamp!.Value);
    }
}

/// <summary><c>listing.subscribe</c> / <c>listing.unsubscribe</c> {listingId}.</summary>
internal sealed record ListingSubscriptionRequest(string ListingId)
{
    public static ListingSubscriptionRequest? Read(PayloadReader r)
    {
        var listingId = r.Id("listingId");
        return r.Errors.Count > 0 ? null : new ListingSubscriptionRequest(listingId!);
    }
}

/// <summary><c>notification.read</c> {id}.</summary>
internal sealed record NotificationReadRequest(string Id)
{
    public static NotificationReadRequest? Read(PayloadReader r)
    {
        var id = r.Id("id");
        return r.Errors.Count > 0 ? null : new NotificationReadRequest(id!);
    }
}
