using System.Diagnostics.Metrics;

namespace SocketIo.AdminUi.Internal;

/// <summary>
/// Feeds the UI's packet and byte charts (<c>packetsIn</c>, <c>packetsOut</c>, <c>bytesIn</c>, <c>bytesOut</c>) from the
/// Socket.IO server's meter (meter <c>SocketIo</c>, counters <c>socketio.packets.received</c>/<c>sent</c> and
/// <c>socketio.bytes.received</c>/<c>sent</c>), read with a <see cref="MeterListener"/> as any metrics consumer reads
/// them: the counting itself stays in the library, done once for every consumer. Without those counters (a server
/// built without metrics) the charts stay empty and nothing else changes. Every server of the process feeds it: one
/// Socket.IO server per process is the case it is meant for.
/// </summary>
internal sealed class TrafficFeed : IDisposable
{
    private const string MeterName = "SocketIo";

    private static readonly Dictionary<string, string> EventTypes = new(StringComparer.Ordinal)
    {
        ["socketio.packets.received"] = "packetsIn",
        ["socketio.packets.sent"] = "packetsOut",
        ["socketio.bytes.received"] = "bytesIn",
        ["socketio.bytes.sent"] = "bytesOut",
    };

    private readonly MeterListener _listener = new();

    public TrafficFeed(AggregatedEvents events)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && EventTypes.TryGetValue(instrument.Name, out var type))
                listener.EnableMeasurementEvents(instrument, type);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => events.Add((string)state!, count: value));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
