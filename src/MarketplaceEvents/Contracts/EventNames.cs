namespace MarketplaceEvents.Contracts;

/// <summary>Every event name of the contract (README "Marketplace real-time service").</summary>
internal static class EventNames
{
    public const string Auth = "auth";
    public const string Error = "error";
    public const string HealthCheck = "health.check";
    public const string Ping = "ping";
    public const string Pong = "pong";

    public const string PresenceUpdate = "presence.update";
    public const string PresenceTyping = "presence.typing";
    public const string PresenceActivity = "presence.activity";

    public const string ChatSend = "chat.send";
    public const string ChatMessage = "chat.message";
    public const string ChatStatus = "chat.status";
    public const string ChatBatch = "chat.batch";
    public const string ChatHistory = "chat.history";
    public const string ChatConversationUpdate = "chat.conversation.update";
    public const string ChatError = "chat.error";

    public const string OrderStatus = "order.status";
    public const string OrderPayment = "order.payment";
    public const string OrderShipping = "order.shipping";
    public const string OrderError = "order.error";

    public const string ListingUpdate = "listing.update";
    public const string ListingStock = "listing.stock";
    public const string ListingViews = "listing.views";
    public const string ListingSubscribe = "listing.subscribe";
    public const string ListingUnsubscribe = "listing.unsubscribe";

    public const string NotificationUser = "notification.user";
    public const string NotificationSystem = "notification.system";
    public const string NotificationRead = "notification.read";
}
