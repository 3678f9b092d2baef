namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>Limits of the learning-guide sockets (<c>/api/chat/ws</c>, <c>/api/analytics/ws</c>, <c>/api/collaboration/ws</c>), section <c>PlainApis:LearningGuide</c>.</summary>
internal sealed class LearningGuideOptions
{
    public const string Section = "PlainApis:LearningGuide";

    /// <summary>New connections per client IP per <see cref="ConnectionWindow"/>, all three sockets together; more are closed with 1008. Default: 10.</summary>
    public int MaxConnectionsPerWindow { get; set; } = 10;

    /// <summary>The connection-rate window. Default: one minute.</summary>
    public TimeSpan ConnectionWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages per connection per <see cref="MessageWindow"/>; one more closes it with 1008. Default: 100.</summary>
    public int MaxMessagesPerWindow { get; set; } = 100;

    /// <summary>The message-rate window. Default: one minute.</summary>
    public TimeSpan MessageWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a subscribed analytics client gets <c>metric_update</c>. Default: 5 s.</summary>
    public TimeSpan MetricInterval { get; set; } = TimeSpan.FromSeconds(5);
}
