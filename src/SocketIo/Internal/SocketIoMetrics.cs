using System.Diagnostics.Metrics;
using EngineIo;

namespace SocketIo.Internal;

/// <summary>
/// The Socket.IO layer's instruments, on one <see cref="Meter"/> per server (named <see cref="SocketIoServer.MeterName"/>),
/// named after the OpenTelemetry conventions. Counters check <see cref="Instrument.Enabled"/> first, so that nothing
/// is built while no listener collects; the socket and pending-ack counts are observed only when collected. A
/// broadcast counts its deliveries once, after its fan-out, rather than once per recipient.
/// </summary>
internal sealed class SocketIoMetrics
{
    internal const string NamespaceTag = "socketio.namespace";
    internal const string ReasonTag = "socketio.disconnect.reason";
    internal const string DropReasonTag = "socketio.drop.reason";
    internal const string RequestTypeTag = "socketio.adapter.request.type";

    /// <summary>The drop reason of a volatile packet that the transport could not take at once.</summary>
    internal const string VolatileDrop = "volatile";

    /// <summary>The drop reason of a packet refused because its client's queue is over its limit.</summary>
    internal const string SlowConsumerDrop = "slow_consumer";

    private readonly Counter<long> _packetsReceived;
    private readonly Counter<long> _packetsSent;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _broadcasts;
    private readonly Counter<long> _acksTimedOut;
    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _packetsDropped;
    private readonly Counter<long> _adapterRequests;
    private readonly Counter<long> _adapterTimeouts;

    public SocketIoMetrics(SocketIoServer server, IMeterFactory? meterFactory)
    {
        // Through the host's factory when there is one: its meters belong to that container (tests get their own).
        Meter = meterFactory?.Create(new MeterOptions(SocketIoServer.MeterName)) ?? new Meter(SocketIoServer.MeterName);
        Meter.CreateObservableUpDownCounter("socketio.sockets", () => ObserveSockets(server), "{socket}", "Connected sockets, by namespace.");
        Meter.CreateObservableUpDownCounter("socketio.acks.pending", () => ObservePendingAcks(server), "{ack}", "Emits waiting for their acknowledgement, one per recipient socket.");
        _packetsReceived = Meter.CreateCounter<long>("socketio.packets.received", "{packet}", "Socket.IO packets received from clients.");
        _packetsSent = Meter.CreateCounter<long>("socketio.packets.sent", "{packet}", "Socket.IO packets queued to clients (a broadcast counts one per recipient).");
        _bytesReceived = Meter.CreateCounter<long>("socketio.bytes.received", "By", "Bytes of Socket.IO packets received, attachments included.");
        _bytesSent = Meter.CreateCounter<long>("socketio.bytes.sent", "By", "Bytes of Socket.IO packets queued to clients, attachments included.");
        _broadcasts = Meter.CreateCounter<long>("socketio.broadcasts", "{broadcast}", "Broadcasts delivered to this node's sockets.");
        _acksTimedOut = Meter.CreateCounter<long>("socketio.acks.timed_out", "{ack}", "Acknowledgements that did not come in time, one per recipient socket.");
        _disconnects = Meter.CreateCounter<long>("socketio.disconnects", "{socket}", "Sockets disconnected, by reason.");
        _packetsDropped = Meter.CreateCounter<long>("socketio.packets.dropped", "{packet}", "Packets not delivered, by reason (volatile, slow_consumer).");
        _adapterRequests = Meter.CreateCounter<long>("socketio.adapter.requests", "{request}", "Requests an adapter sent to the other nodes, by type.");
        _adapterTimeouts = Meter.CreateCounter<long>("socketio.adapter.request.timeouts", "{request}", "Adapter requests the other nodes did not all answer in time, by type.");
    }

    public Meter Meter { get; }

    public void PacketReceived()
    {
        if (_packetsReceived.Enabled) _packetsReceived.Add(1);
    }

    public void BytesReceived(int bytes)
    {
        if (_bytesReceived.Enabled) _bytesReceived.Add(bytes);
    }

    /// <summary><paramref name="deliveries"/> copies of one encoded packet were queued.</summary>
    public void PacketsSent(int deliveries, EngineMessage[] messages)
    {
        if (deliveries == 0) return;
        if (_packetsSent.Enabled) _packetsSent.Add(deliveries);
        if (!_bytesSent.Enabled) return;
        long size = 0;
        foreach (var message in messages) size += message.DataLength;
        _bytesSent.Add(size * deliveries);
    }

    public void Broadcast(string @namespace)
    {
        if (_broadcasts.Enabled) _broadcasts.Add(1, new KeyValuePair<string, object?>(NamespaceTag, @namespace));
    }

    public void AckTimedOut(int count = 1)
    {
        if (_acksTimedOut.Enabled && count > 0) _acksTimedOut.Add(count);
    }

    public void Disconnected(DisconnectReason reason)
    {
        if (_disconnects.Enabled) _disconnects.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason.ToProtocolString()));
    }

    /// <summary>Packets not delivered: <see cref="VolatileDrop"/> or <see cref="SlowConsumerDrop"/>.</summary>
    public void PacketsDropped(int count, string reason)
    {
        if (_packetsDropped.Enabled && count > 0) _packetsDropped.Add(count, new KeyValuePair<string, object?>(DropReasonTag, reason));
    }

    /// <summary>For the slow-consumer limit: <paramref name="count"/> packets refused because a client's queue is full.</summary>
    public void SlowConsumerDropped(int count = 1) => PacketsDropped(count, SlowConsumerDrop);

    public void AdapterRequest(string type)
    {
        if (_adapterRequests.Enabled) _adapterRequests.Add(1, new KeyValuePair<string, object?>(RequestTypeTag, type));
    }

    public void AdapterRequestTimedOut(string type)
    {
        if (_adapterTimeouts.Enabled) _adapterTimeouts.Add(1, new KeyValuePair<string, object?>(RequestTypeTag, type));
    }

    private static IEnumerable<Measurement<long>> ObserveSockets(SocketIoServer server)
    {
        foreach (var nsp in server.Namespaces)
            yield return new Measurement<long>(nsp.SocketCount, new KeyValuePair<string, object?>(NamespaceTag, nsp.Name));
    }

    private static long ObservePendingAcks(SocketIoServer server)
    {
        long pending = 0;
        foreach (var nsp in server.Namespaces)
        {
            foreach (var socket in nsp.Sockets) pending += socket.PendingAckCount;
        }
        return pending;
    }
}
