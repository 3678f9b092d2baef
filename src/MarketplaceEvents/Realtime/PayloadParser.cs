using System.Text.Json;

namespace MarketplaceEvents.Realtime;

/// <summary>Reads an event's payload (its first argument, null when absent) into a request, or says why it cannot.</summary>
internal delegate bool PayloadParser<T>(JsonElement? payload, out T request, out string error);
