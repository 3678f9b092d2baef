namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>Limits of the chat delivery API (<c>/ws</c>), section <c>PlainApis:Chat</c>.</summary>
internal sealed class ChatDeliveryOptions
{
    public const string Section = "PlainApis:Chat";

    /// <summary>Messages a client may send per <see cref="MessageWindow"/>; more get an error with retry_after. Default: 100.</summary>
    public int MaxMessagesPerWindow { get; set; } = 100;

    /// <summary>The message-rate window. Default: one minute (tests shorten it).</summary>
    public TimeSpan MessageWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages kept for a client until it acknowledges them (while offline, the oldest beyond are dropped). Default: 1000.</summary>
    public int MaxQueuedPerClient { get; set; } = 1000;
}
