using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Bench;

/// <summary>
/// The soak of issue 12 (bench only, not CI): many clients held for a long time against our server (a child
/// process), with churn (a share of the clients reconnect every minute, WebSocket and polling alike) and room
/// broadcasts carrying a sequence number per room, so that every client can tell a lost delivery from one it
/// was not owed. Each minute records the server's RSS, heap, collections and pauses, the deliveries, the losses and
/// the errors; the Markdown report goes to bench/results/.
///   bash bench/run.sh --soak [--soak-clients 15000] [--soak-polling 500] [--soak-minutes 30] [--soak-minute-seconds 60]
/// </summary>
internal sealed class Soak
{
    private static readonly byte[] MessagePrefix = "42[\"msg\",\""u8.ToArray();

    private readonly int _clients;
    private readonly int _polling;
    private readonly int _minutes;
    private readonly double _minuteSeconds;
    private readonly int _rooms;
    private readonly double _churn;
    private readonly string _root;
    private readonly List<string> _errorSamples = [];
    private Slot[] _slots = [];
    private Connector _connector = null!;
    private readonly FrameFactory _factory = new(Wire.Json);
    // The next sequence number per room: rooms r0..r(n-1), then "all" at index n.
    private long[] _sequence = [];
    private long _delivered, _lost, _disorder, _connectErrors, _unexpected, _reconnects, _publisherLosses;
    private volatile bool _stopping;
    private WsClient? _publisher;

    private sealed class Slot
    {
        public required int Index { get; init; }
        public required bool Polling { get; init; }
        public required int Room { get; init; }
        public object? Client;
        public long LastAll = -1;
        public long LastRoom = -1;
        public int Busy;
        public volatile bool ResetChecks;
    }

    private sealed record Row(int Minute, int Connected, int PollingConnected, long Reconnects, long Delivered, long Lost, long Disorder, long Errors,
        double RssMb, double HeapMb, double LiveHeapMb, double CommittedMb, long Gen0, long Gen1, long Gen2, double PauseMs, double MaxPauseMs,
        double GeneratorRssMb, string Load);

    private Soak(string[] args, string root)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }
        _clients = int.Parse(Value("soak-clients") ?? "15000", CultureInfo.InvariantCulture);
        _polling = int.Parse(Value("soak-polling") ?? "500", CultureInfo.InvariantCulture);
        _minutes = int.Parse(Value("soak-minutes") ?? "30", CultureInfo.InvariantCulture);
        _minuteSeconds = double.Parse(Value("soak-minute-seconds") ?? "60", CultureInfo.InvariantCulture);
        _rooms = 10;
        _churn = 0.1;
        _root = root;
        ReportPath = Value("report");
        Note = Value("note");
    }

    private string? ReportPath { get; }

    private string? Note { get; }

    public static async Task<int> RunAsync(string[] args, string root)
    {
        var soak = new Soak(args, root);
        return await soak.RunAsync(string.Join(' ', args));
    }

    private async Task<int> RunAsync(string command)
    {
        var started = DateTime.UtcNow;
        var machine = MachineInfo.Describe(_root);
        var loadBefore = ProcStats.LoadAverage();
        var rows = new List<Row>();
        // The server's warnings (a slow consumer cut off, a handler failing) go to this process's stderr, and the log.
        Environment.SetEnvironmentVariable("BENCH_SERVER_WARNINGS", "1");
        var server = await ServerProcess.StartAsync(ServerKind.Ours, "json", _root);
        WsClient? publisher = null;
        Console.WriteLine($"soak: {_clients:N0} clients ({_polling:N0} polling) for {_minutes} x {_minuteSeconds} s against pid {server.Pid}; load average {loadBefore}");
        try
        {
            // Two source addresses: the churn leaves client ports in TIME_WAIT, and one address's range is 28,000.
            _connector = new Connector(server.Port, 2);
            _sequence = new long[_rooms + 1];
            _slots = Enumerable.Range(0, _clients).Select(i => new Slot { Index = i, Polling = i < _polling, Room = i % _rooms }).ToArray();
            var ramp = System.Diagnostics.Stopwatch.StartNew();
            var next = -1;
            async Task ConnectSome()
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < _slots.Length) await ConnectSlotAsync(_slots[i]);
            }
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => ConnectSome()));
            Console.WriteLine($"soak: {Connected().All:N0} connected in {ramp.Elapsed.TotalSeconds:F0} s");
            publisher = _publisher = await WsClient.ConnectAsync(_connector, Wire.Json, _factory, CancellationToken.None);

            var baseline = await server.StatsAsync();
            rows.Add(await SampleAsync(server, 0, baseline, new Counters()));
            var afterGc = await ForcedGcStatsAsync(server);
            var counters = Snapshot();

            using var stop = new CancellationTokenSource();
            var publishing = PublishLoopAsync(publisher, stop.Token);
            var churning = ChurnLoopAsync(stop.Token);
            var watching = WatchLoopAsync(stop.Token);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var minute = 1; minute <= _minutes; minute++)
            {
                var due = TimeSpan.FromSeconds(minute * _minuteSeconds) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
                var row = await SampleAsync(server, minute, afterGc, counters);
                rows.Add(row);
                Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] minute {minute}: {row.Connected:N0} connected, {row.Delivered:N0} delivered, {row.Lost} lost, {row.Errors} errors, RSS {row.RssMb:F0} MB, live heap {row.LiveHeapMb:F1} MB, pauses {row.PauseMs:F0} ms (max {row.MaxPauseMs:F1}), load {row.Load}");
                counters = Snapshot();
                afterGc = await ForcedGcStatsAsync(server);
            }

            // The end: no more churn; one last round of publications, then every connected client must have its room's
            // last sequence number (a delivery lost at the tail shows here).
            _stopping = true;
            await stop.CancelAsync();
            await Task.WhenAll(publishing, churning, watching);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await PublishRoundAsync(_publisher!, all: true);
            await Task.Delay(TimeSpan.FromSeconds(10));
            var tailLost = 0L;
            foreach (var slot in _slots)
            {
                if (slot.Client is not { } client || IsFailed(client)) continue;
                if (slot.LastRoom >= 0) tailLost += _sequence[slot.Room] - 1 - slot.LastRoom;
                if (slot.LastAll >= 0) tailLost += _sequence[_rooms] - 1 - slot.LastAll;
            }
            Interlocked.Add(ref _lost, tailLost);
            var elapsed = DateTime.UtcNow - started;
            var report = Write(rows, tailLost, machine, loadBefore, ProcStats.LoadAverage(), started, elapsed, "bench/run.sh " + command);
            var path = ReportPath ?? Path.Combine(_root, "bench", "results", $"soak-{started:yyyy-MM-dd-HHmm}.md");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, report);
            Console.WriteLine($"soak: report written to {path}");
            return Volatile.Read(ref _lost) + Volatile.Read(ref _disorder) + Volatile.Read(ref _connectErrors) + Volatile.Read(ref _unexpected) + Volatile.Read(ref _publisherLosses) == 0 ? 0 : 1;
        }
        finally
        {
            _stopping = true;
            _publisher?.Dispose();
            foreach (var slot in _slots) (slot.Client as IDisposable)?.Dispose();
            await server.DisposeAsync();
        }
    }

    private readonly record struct Counters(long Delivered = 0, long Lost = 0, long Disorder = 0, long Errors = 0, long Reconnects = 0);

    private Counters Snapshot() => new(Volatile.Read(ref _delivered), Volatile.Read(ref _lost), Volatile.Read(ref _disorder),
        Volatile.Read(ref _connectErrors) + Volatile.Read(ref _unexpected) + Volatile.Read(ref _publisherLosses), Volatile.Read(ref _reconnects));

    private (int All, int Polling) Connected()
    {
        int all = 0, polling = 0;
        foreach (var slot in _slots)
        {
            if (slot.Client is { } client && !IsFailed(client))
            {
                all++;
                if (slot.Polling) polling++;
            }
        }
        return (all, polling);
    }

    /// <summary>A full compacting collection in the server, then its counters (the next minute's pauses start from them).</summary>
    private static async Task<Dictionary<string, double>> ForcedGcStatsAsync(ServerProcess server)
    {
        await server.ForceGcAsync();
        // The pause sampler sees the forced collections within 20 ms: reading the counters after that resets its maximum.
        await Task.Delay(100);
        return await server.StatsAsync();
    }

    private async Task<Row> SampleAsync(ServerProcess server, int minute, Dictionary<string, double> since, Counters before)
    {
        var stats = await server.StatsAsync();
        var rss = server.RssBytes();
        var live = await server.ForceGcAsync();
        var now = Snapshot();
        var (connected, polling) = Connected();
        const double Mb = 1024 * 1024;
        return new Row(minute, connected, polling, now.Reconnects - before.Reconnects, now.Delivered - before.Delivered, now.Lost - before.Lost,
            now.Disorder - before.Disorder, now.Errors - before.Errors, rss / Mb, stats["heap"] / Mb, live / Mb, stats["committed"] / Mb,
            (long)(stats["gen0"] - since["gen0"]), (long)(stats["gen1"] - since["gen1"]), (long)(stats["gen2"] - since["gen2"]),
            stats["pausems"] - since["pausems"], stats["maxpausems"], ProcStats.RssBytes(Environment.ProcessId) / Mb, ProcStats.LoadAverage());
    }

    // ---- Clients --------------------------------------------------------------------------------------------

    private static bool IsFailed(object client) => client is WsClient ws ? ws.Failed : ((PollingClient)client).Failed;

    private string[] RoomsOf(Slot slot) => ["all", $"r{slot.Room}"];

    private async Task ConnectSlotAsync(Slot slot)
    {
        for (var attempt = 0; attempt < 5 && !_stopping; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                slot.LastAll = slot.LastRoom = -1;
                if (slot.Polling)
                {
                    var client = await PollingClient.ConnectAsync(_connector, 64, timeout.Token);
                    client.Observer = packet => Observe(slot, client, packet);
                    Volatile.Write(ref slot.Client, client);
                    await client.JoinAsync(RoomsOf(slot));
                }
                else
                {
                    var client = await WsClient.ConnectAsync(_connector, Wire.Json, _factory, timeout.Token);
                    client.Observer = packet => Observe(slot, client, packet);
                    Volatile.Write(ref slot.Client, client);
                    await client.JoinAsync(_factory.Join(RoomsOf(slot)));
                }
                return;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _connectErrors);
                NoteError($"connect ({(slot.Polling ? "polling" : "websocket")}): {ex.GetType().Name}: {ex.Message}");
                (Interlocked.Exchange(ref slot.Client, null) as IDisposable)?.Dispose();
                await Task.Delay(1000);
            }
        }
    }

    private void NoteError(string error)
    {
        lock (_errorSamples)
        {
            if (_errorSamples.Count < 20) _errorSamples.Add($"{DateTime.UtcNow:HH:mm:ss} {error}");
        }
    }

    /// <summary>A delivery: <c>42["msg","ROOM|SEQ"]</c>. Each client's packets arrive on one loop, in order.</summary>
    private void Observe(Slot slot, object client, ReadOnlySpan<byte> packet)
    {
        if (!packet.StartsWith(MessagePrefix) || !ReferenceEquals(Volatile.Read(ref slot.Client), client)) return;
        var body = packet[MessagePrefix.Length..];
        var bar = body.IndexOf((byte)'|');
        if (bar < 0 || !Utf8Parser.TryParse(body[(bar + 1)..], out long sequence, out _)) return;
        Interlocked.Increment(ref _delivered);
        if (slot.ResetChecks)
        {
            slot.ResetChecks = false;
            slot.LastAll = slot.LastRoom = -1;
        }
        ref var last = ref body[0] == (byte)'a' ? ref slot.LastAll : ref slot.LastRoom;
        if (last >= 0)
        {
            if (sequence > last + 1)
            {
                Interlocked.Add(ref _lost, sequence - last - 1);
                NoteError($"client {slot.Index}: {Encoding.ASCII.GetString(body[..bar])} jumped from {last} to {sequence}");
            }
            else if (sequence <= last)
            {
                Interlocked.Increment(ref _disorder);
                NoteError($"client {slot.Index}: {Encoding.ASCII.GetString(body[..bar])} {sequence} after {last}");
            }
        }
        last = sequence;
    }

    private async Task ReconnectAsync(Slot slot, bool unexpected)
    {
        try
        {
            var old = Interlocked.Exchange(ref slot.Client, null);
            if (unexpected)
            {
                Interlocked.Increment(ref _unexpected);
                NoteError($"client {slot.Index} ({(slot.Polling ? "polling" : "websocket")}) lost its connection{(old is WsClient ws ? ": " + ws.FailureReason : "")}");
            }
            (old as IDisposable)?.Dispose();
            Interlocked.Increment(ref _reconnects);
            await ConnectSlotAsync(slot);
        }
        finally
        {
            Volatile.Write(ref slot.Busy, 0);
        }
    }

    /// <summary>A tenth of the clients per minute, in 30 batches, chosen at random among those not reconnecting already.</summary>
    private async Task ChurnLoopAsync(CancellationToken cancellationToken)
    {
        var random = new Random(12);
        var perBatch = Math.Max(1, (int)(_clients * _churn / 30));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_minuteSeconds / 30));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                for (var n = 0; n < perBatch; n++)
                {
                    var slot = _slots[random.Next(_slots.Length)];
                    if (Interlocked.Exchange(ref slot.Busy, 1) == 1) continue;
                    _ = ReconnectAsync(slot, unexpected: false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Every second: a client that lost its connection without being asked to is an error, and reconnects.</summary>
    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var slot in _slots)
                {
                    if (Volatile.Read(ref slot.Busy) == 1 || Volatile.Read(ref slot.Client) is not { } client || !IsFailed(client)) continue;
                    if (Interlocked.Exchange(ref slot.Busy, 1) == 1) continue;
                    _ = ReconnectAsync(slot, unexpected: true);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Every 2 s one publication per room; every 10 s one to "all".</summary>
    private async Task PublishLoopAsync(WsClient publisher, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_publisher!.Failed) await ReplacePublisherAsync();
                await PublishRoundAsync(_publisher!, all: tick++ % 5 == 0);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The publisher lost its connection (an error): a new one goes on. Publications of the failed one may or may not
    /// have reached the server, so every client's sequence check starts over from its next delivery.
    /// </summary>
    private async Task ReplacePublisherAsync()
    {
        Interlocked.Increment(ref _publisherLosses);
        NoteError($"the publisher lost its connection: {_publisher!.FailureReason}");
        _publisher.Dispose();
        foreach (var slot in _slots) slot.ResetChecks = true;
        while (true)
        {
            try
            {
                _publisher = await WsClient.ConnectAsync(_connector, Wire.Json, _factory, CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                NoteError($"the publisher could not connect again: {ex.Message}");
                await Task.Delay(1000);
            }
        }
    }

    private async Task PublishRoundAsync(WsClient publisher, bool all)
    {
        for (var r = 0; r < _rooms; r++) await publisher.SendAsync(Publication($"r{r}", _sequence[r]++), stamp: -1);
        if (all) await publisher.SendAsync(Publication("all", _sequence[_rooms]++), stamp: -1);
    }

    private static OutgoingFrames Publication(string room, long sequence) =>
        OutgoingFrames.Text($"42[\"publish\",\"{room}\",\"{room}|{sequence.ToString(CultureInfo.InvariantCulture)}\"]");

    // ---- Report ---------------------------------------------------------------------------------------------

    private string Write(List<Row> rows, long tailLost, IReadOnlyList<(string Name, string Value)> machine, string loadBefore, string loadAfter, DateTime started, TimeSpan elapsed, string command)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Soak: {_clients:N0} clients for {_minutes} min with churn and room broadcasts");
        md.AppendLine();
        md.AppendLine($"Run {started:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:F1} min in all. Command: `{command}`");
        md.AppendLine();
        md.AppendLine("| Machine | |");
        md.AppendLine("| --- | --- |");
        foreach (var (name, value) in machine) md.AppendLine($"| {name} | {value} |");
        md.AppendLine($"| Load average (1, 5, 15 min) before / after | {loadBefore} / {loadAfter} |");
        md.AppendLine();
        if (Note is { } note) md.AppendLine($"Note: {note}").AppendLine();
        md.AppendLine($"What ran: our bench server (bench/DotnetServer, direct WebSockets, JSON parser) as a child process; this generator holds {_clients - _polling:N0} WebSocket " +
            $"and {_polling:N0} long-polling clients, each in the room \"all\" and one of {_rooms} rooms r0..r{_rooms - 1}. Every 2 s one publication goes to each " +
            $"of the {_rooms} rooms, every 10 s one to \"all\" (each carries its room's next sequence number). Churn: {_churn:P0} of the clients per " +
            "minute (in 30 batches, chosen at random, WebSocket and polling alike) disconnect and connect again. A client checks that the sequence numbers of each of " +
            "its rooms follow each other from its first delivery on: a gap is a delivery lost to a connected client; at the end (churn stopped, one last round of " +
            "publications, 10 s) every connected client must hold its rooms' last numbers. Each minute: the server's counters, then a forced full compacting " +
            "collection whose live heap is the \"live heap\" column (the forced collections are left out of the pause columns).");
        md.AppendLine();

        var first = rows.FirstOrDefault(r => r.Minute == 5);
        var last = rows[^1];
        double Growth(Func<Row, double> value) => first is null ? double.NaN : (value(last) - value(first)) / value(first) * 100;
        var lost = Volatile.Read(ref _lost);
        var disorder = Volatile.Read(ref _disorder);
        md.AppendLine("## Result");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("| --- | --- |");
        md.AppendLine($"| Live heap growth, minute 5 to {last.Minute} (goal under 5%) | {Growth(r => r.LiveHeapMb):F1}% ({first?.LiveHeapMb:F1} → {last.LiveHeapMb:F1} MB) |");
        md.AppendLine($"| RSS growth, minute 5 to {last.Minute} (goal under 5%) | {Growth(r => r.RssMb):F1}% ({first?.RssMb:F0} → {last.RssMb:F0} MB) |");
        md.AppendLine($"| Deliveries | {Volatile.Read(ref _delivered):N0} |");
        md.AppendLine($"| Deliveries lost to a connected client (gaps + missing at the end) | {lost:N0} ({tailLost:N0} at the end) |");
        md.AppendLine($"| Deliveries out of order or repeated | {disorder:N0} |");
        md.AppendLine($"| Reconnections (churn, plus unexpected losses) | {Volatile.Read(ref _reconnects):N0} |");
        md.AppendLine($"| Errors: failed connects / connections lost unasked / publisher connections lost | {Volatile.Read(ref _connectErrors):N0} / {Volatile.Read(ref _unexpected):N0} / {Volatile.Read(ref _publisherLosses):N0} |");
        md.AppendLine($"| Longest GC pause sampled in a minute | {rows.Max(r => r.MaxPauseMs):F1} ms |");
        md.AppendLine();
        if (_errorSamples.Count > 0)
        {
            md.AppendLine("First errors:");
            md.AppendLine();
            lock (_errorSamples) foreach (var error in _errorSamples) md.AppendLine($"- {error}");
            md.AppendLine();
        }
        md.AppendLine("## Each minute");
        md.AppendLine();
        md.AppendLine("Minute 0 is the end of the ramp (every client connected and joined), before any publication. Counts are for the minute; memory is at its end.");
        md.AppendLine();
        md.AppendLine("| Minute | Connected (polling) | Reconnects | Delivered | Lost | Disorder | Errors | Server RSS MB | Heap MB | Live heap MB | Committed MB | GCs gen0/1/2 | GC pause ms | Max pause ms | Generator RSS MB | Load average |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
        {
            md.AppendLine($"| {r.Minute} | {r.Connected:N0} ({r.PollingConnected:N0}) | {r.Reconnects:N0} | {r.Delivered:N0} | {r.Lost:N0} | {r.Disorder:N0} | {r.Errors:N0} | {r.RssMb:F0} | {r.HeapMb:F1} | {r.LiveHeapMb:F1} | {r.CommittedMb:F0} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.PauseMs:F0} | {r.MaxPauseMs:F1} | {r.GeneratorRssMb:F0} | {r.Load} |");
        }
        return md.ToString();
    }
}
