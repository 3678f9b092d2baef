namespace MarketplaceEvents.Configuration;

/// <summary>The <c>Limits</c> configuration section. The defaults are the marketplace's published limits.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Events one connection may send per <see cref="EventWindow"/> (a sliding window). Default: 100.</summary>
    public int EventsPerWindow { get; set; } = 100;

    /// <summary>Default: one minute.</summary>
    public TimeSpan EventWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Connections one user may hold at once. Default: 100.</summary>
    public int ConnectionsPerUser { get; set; } = 100;

    /// <summary>New connections one IP address may open per <see cref="ConnectionWindow"/>. Default: 10.</summary>
    public int ConnectionsPerIp { get; set; } = 10;

    /// <summary>Default: one minute.</summary>
    public TimeSpan ConnectionWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The largest payload of an event not named in <see cref="PayloadBytes"/>, in bytes of JSON. Default: 16 KiB.</summary>
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>The largest payload per event name, in bytes of JSON. Defaults: chat.send 64 KiB, chat.batch 512 KiB.</summary>
    public Dictionary<string, int> PayloadBytes { get; set; } = new(StringComparer.Ordinal)
    {
        ["chat.send"] = 64 * 1024,
        ["chat.batch"] = 512 * 1024,
    };

    /// <summary>The most messages one <c>chat.batch</c> may carry. Default: 50.</summary>
    public int MaxBatchItems { get; set; } = 50;

    /// <summary>Notifications kept for replay per offline user; older ones are dropped from the queue. Default: 1000.</summary>
    public int MaxUndeliveredNotifications { get; set; } = 1000;

    public int PayloadLimit(string eventName) => PayloadBytes.TryGetValue(eventName, out var limit) ? limit : MaxPayloadBytes;

    /// <summary>The configuration errors, empty when the options are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (EventsPerWindow < 1) yield return "Limits:EventsPerWindow must be at least 1.";
        if (EventWindow <= TimeSpan.Zero) yield return "Limits:EventWindow must be positive.";
        if (ConnectionsPerUser < 1) yield return "Limits:ConnectionsPerUser must be at least 1.";
        if (ConnectionsPerIp < 1) yield return "Limits:ConnectionsPerIp must be at least 1.";
        if (ConnectionWindow <= TimeSpan.Zero) yield return "Limits:ConnectionWindow must be positive.";
        if (MaxPayloadBytes < 64) yield return "Limits:MaxPayloadBytes must be at least 64.";
        foreach (var (name, limit) in PayloadBytes)
        {
            if (limit < 64) yield return $"Limits:PayloadBytes:{name} must be at least 64.";
        }
        if (MaxBatchItems < 1) yield return "Limits:MaxBatchItems must be at least 1.";
        if (MaxUndeliveredNotifications < 1) yield return "Limits:MaxUndeliveredNotifications must be at least 1.";
    }
}
