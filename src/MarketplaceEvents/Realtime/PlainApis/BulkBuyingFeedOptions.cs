namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>Limits of the bulk-buying notification feed (<c>/api/notifications/ws</c>), section <c>PlainApis:Notifications</c>.</summary>
internal sealed class BulkBuyingFeedOptions
{
    public const string Section = "PlainApis:Notifications";

    /// <summary>Open feed connections per user; the next one is closed with 4002. Default: 100.</summary>
    public int MaxConnectionsPerUser { get; set; } = 100;

    /// <summary>Messages a connection may send per <see cref="MessageWindow"/>; one more closes it with 4002. Default: 1000.</summary>
    public int MaxMessagesPerWindow { get; set; } = 1000;

    /// <summary>The message-rate window. Default: one minute (tests shorten it).</summary>
    public TimeSpan MessageWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>WebSocket ping frames to keep idle connections alive through proxies. Default: 25 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(25);
}
