using System.Diagnostics.Metrics;

namespace EngineIo.Internal;

/// <summary>
/// The engine's instruments, on one <see cref="Meter"/> per server (named <see cref="EngineIoServer.MeterName"/>),
/// named after the OpenTelemetry conventions. Counters check <see cref="Instrument.Enabled"/> first, so that nothing
/// (not even a tag) is built while no listener collects; the open-connection count is observed only when collected,
/// so the hot path pays nothing for it.
/// </summary>
internal sealed class EngineIoMetrics
{
    private const string TransportTag = "engineio.transport";
    private const string ReasonTag = "engineio.close.reason";

    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _handshakesRefused;
    private readonly Counter<long> _upgrades;
    private readonly Counter<long> _closes;

    public EngineIoMetrics(EngineIoServer server, IMeterFactory? meterFactory)
    {
        // Through the host's factory when there is one: its meters belong to that container (tests get their own),
        // and are disposed with it.
        Meter = meterFactory?.Create(new MeterOptions(EngineIoServer.MeterName)) ?? new Meter(EngineIoServer.MeterName);
        Meter.CreateObservableUpDownCounter("engineio.connections", () => ObserveConnections(server), "{connection}", "Open Engine.IO sessions, by current transport.");
        _handshakes = Meter.CreateCounter<long>("engineio.handshakes", "{handshake}", "Sessions opened, by first transport.");
        _handshakesRefused = Meter.CreateCounter<long>("engineio.handshakes.refused", "{handshake}", "Handshakes refused because the server is shutting down.");
        _upgrades = Meter.CreateCounter<long>("engineio.upgrades", "{upgrade}", "Sessions upgraded, by new transport.");
        _closes = Meter.CreateCounter<long>("engineio.closes", "{connection}", "Sessions closed, by reason.");
    }

    public Meter Meter { get; }

    public void SessionOpened(string transport)
    {
        if (_handshakes.Enabled) _handshakes.Add(1, new KeyValuePair<string, object?>(TransportTag, transport));
    }

    public void HandshakeRefused()
    {
        if (_handshakesRefused.Enabled) _handshakesRefused.Add(1);
    }

    public void Upgraded(string transport)
    {
        if (_upgrades.Enabled) _upgrades.Add(1, new KeyValuePair<string, object?>(TransportTag, transport));
    }

    public void SessionClosed(EngineCloseReason reason)
    {
        if (_closes.Enabled) _closes.Add(1, new KeyValuePair<string, object?>(ReasonTag, ReasonName(reason)));
    }

    private static Measurement<long>[] ObserveConnections(EngineIoServer server)
    {
        long polling = 0, webSocket = 0;
        foreach (var session in server.Sessions)
        {
            if (session.CurrentTransport.Kind == EngineIoTransports.Polling) polling++;
            else webSocket++;
        }
        return
        [
            new(polling, new KeyValuePair<string, object?>(TransportTag, "polling")),
            new(webSocket, new KeyValuePair<string, object?>(TransportTag, "websocket")),
        ];
    }

    private static string ReasonName(EngineCloseReason reason) => reason switch
    {
        EngineCloseReason.TransportClose => "transport close",
        EngineCloseReason.TransportError => "transport error",
        EngineCloseReason.PingTimeout => "ping timeout",
        EngineCloseReason.ParseError => "parse error",
        EngineCloseReason.ForcedClose => "forced close",
        EngineCloseReason.ServerShutdown => "server shutdown",
        _ => "unknown",
    };
}
