namespace Bench;

/// <summary>The five scenarios of issue 6 and the cluster scenario of issue 11, each run against one server at a time and recorded in <see cref="Results"/>.</summary>
internal sealed class Scenarios
{
    private readonly BenchSettings _settings;
    private readonly Results _results;
    private readonly string _root;

    public Scenarios(BenchSettings settings, Results results, string root)
    {
        _settings = settings;
        _results = results;
        _root = root;
    }

    public static string Title(int scenario) => scenario switch
    {
        1 => "Idle capacity",
        2 => "Room fan-out",
        3 => "Ack round trip",
        4 => "Polling only",
        5 => "Parsers",
        6 => "Redis cluster (2 nodes)",
        7 => "Serial acks on one connection",
        _ => "?",
    };

    /// <summary>The servers a scenario runs against: the control speaks WebSocket only, and JSON and binary only.</summary>
    /// The cluster scenario compares ours with the reference only: the control has no adapter.
    /// Ours with direct WebSockets runs the scenarios of issue 15 only (idle memory, fan-out, serial acks), beside the default configuration.
    public static bool Supports(int scenario, ServerKind server) =>
        !(scenario is 4 or 6 && server == ServerKind.Control) && !(server == ServerKind.OursDirect && scenario is not (1 or 2 or 7));

    public Task RunAsync(int scenario, ServerKind server) => scenario switch
    {
        1 => IdleAsync(server),
        2 => FanOutAsync(server),
        3 => AckAsync(server),
        4 => PollingAsync(server),
        5 => ParsersAsync(server),
        6 => ClusterAsync(server),
        7 => SerialAcksAsync(server),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    private void Add(Metric metric, ServerKind server, double value) => _results.Add(metric, server, value);

    private TimeSpan Seconds(double full, double smoke) => TimeSpan.FromSeconds(_settings.IsSmoke ? smoke : full);

    // ---- 1. Idle capacity -----------------------------------------------------------------------------------

    private async Task IdleAsync(ServerKind kind)
    {
        var count = _settings.IdleClients;
        WsClient[] clients = [];
        var server = await ServerProcess.StartAsync(kind, "json", _root);
        {
            try
            {
                await Task.Delay(Seconds(1, 0.1));
                var heapBefore = await server.ForceGcAsync();
                var rssBefore = server.RssBytes();

                var start = Timestamps.Now();
                clients = await ConnectWsAsync(server, Wire.Json, count, rooms: null);
                var ramp = Timestamps.ToSeconds(Timestamps.Now() - start);

                await Task.Delay(Seconds(2, 0.2));
                var heapAfter = await server.ForceGcAsync();
                await Task.Delay(Seconds(0.5, 0.05));
                var rssAfter = server.RssBytes();
                var failed = clients.Count(c => c.Failed);
                if (failed > 0) throw new IOException($"{failed} of {count} idle clients lost their connection");

                var name = $"{count:N0} WebSocket clients";
                Add(new Metric(1, $"{name}: handshakes/s during the ramp", "/s", true), kind, count / ramp);
                Add(new Metric(1, $"{name}: server RSS per connection", "KB", false, Target.NotAboveReference), kind, (rssAfter - rssBefore) / 1024.0 / count);
                Add(new Metric(1, $"{name}: server heap per connection after a forced GC", "KB", false, Target.NotAboveReference), kind, (heapAfter - heapBefore) / 1024.0 / count);
                Add(new Metric(1, $"{name}: server RSS in all", "MB", false), kind, rssAfter / 1024.0 / 1024.0);
                if (_settings.IdleHoldSeconds > 0)
                {
                    // For profiling by hand: the clients stay connected while a heap dump of the server is taken.
                    Console.Write($"holding {count} clients on server pid {server.Pid} for {_settings.IdleHoldSeconds} s ... ");
                    await Task.Delay(TimeSpan.FromSeconds(_settings.IdleHoldSeconds));
                }
            }
            finally
            {
                await server.DisposeAsync();
                Dispose(clients);
            }
        }
    }

    // ---- 2. Room fan-out ------------------------------------------------------------------------------------

    private async Task FanOutAsync(ServerKind kind)
    {
        foreach (var count in _settings.FanOutClients)
        {
            WsClient[] clients = [], publishers = [];
            var server = await ServerProcess.StartAsync(kind, "json", _root);
            try
            {
                clients = await ConnectWsAsync(server, Wire.Json, count, i => ["all", $"r{i % 10}"]);
                publishers = await ConnectWsAsync(server, Wire.Json, 10, rooms: null);
                var factory = new FrameFactory(Wire.Json);
                await WarmUpFanOutAsync(publishers[0], factory.Publish("all", 64), count);
                foreach (var rooms in _settings.FanOutRooms)
                {
                    var roomNames = rooms == 1 ? new[] { "all" } : Enumerable.Range(0, rooms).Select(r => $"r{r}").ToArray();
                    var roomSizes = rooms == 1 ? new long[] { count } : Enumerable.Range(0, rooms).Select(r => (long)Enumerable.Range(0, count).Count(i => i % 10 == r)).ToArray();
                    foreach (var payload in _settings.FanOutPayloads)
                    {
                        var roomPublishers = publishers.Take(rooms).ToArray();
                        for (var r = 0; r < rooms; r++) roomPublishers[r].Stamped = factory.Publish(roomNames[r], payload);
                        var name = $"{count:N0} clients, {rooms} room{(rooms == 1 ? "" : "s")}, {payload} B";

                        var allocatedBefore = await server.AllocatedBytesAsync();
                        var cpuBefore = server.CpuSeconds();
                        var (throughput, delivered, _) = await SaturateAsync(roomPublishers, roomSizes, window: _settings.WindowPerClient * count);
                        var cpu = server.CpuSeconds() - cpuBefore;
                        Add(new Metric(2, $"{name}: deliveries/s at saturation", "/s", true, Target.FanOutThroughput), kind, throughput);
                        // What a delivery costs the server, whatever share of the cores it got (its unmeasured start and drain included).
                        Add(new Metric(2, $"{name}: server CPU per delivery at saturation", "µs", false), kind, cpu * 1e6 / delivered);
                        if (await server.AllocatedBytesAsync() - allocatedBefore is { } allocated)
                            Add(new Metric(2, $"{name}: server allocations per delivery at saturation (.NET servers)", "B", false), kind, (double)allocated / delivered);

                        var latency = await FixedRateAsync(roomPublishers, roomSizes, _settings.LatencyDeliveriesPerSecond / roomSizes.Average());
                        Add(new Metric(2, $"{name}: p50 at {_settings.LatencyDeliveriesPerSecond:N0} deliveries/s", "µs", false), kind, latency.P50);
                        Add(new Metric(2, $"{name}: p99 at {_settings.LatencyDeliveriesPerSecond:N0} deliveries/s", "µs", false), kind, latency.P99);
                    }
                }
                ThrowIfAnyFailed(clients, "fan-out");
            }
            finally
            {
                await server.DisposeAsync();
                Dispose(clients);
                Dispose(publishers);
            }
        }
    }

    /// <summary>
    /// Saturates the server for a while before anything is measured: .NET servers compile their hot paths again
    /// (tiered JIT) during their first seconds of load, and on 2 cores that compilation competes with the work.
    /// </summary>
    private async Task WarmUpFanOutAsync(WsClient publisher, OutgoingFrames frames, int roomSize)
    {
        if (_settings.ServerWarmupSeconds <= 0) return;
        publisher.Stamped = frames;
        await SaturateAsync([publisher], [roomSize], 4L * roomSize, _settings.ServerWarmupSeconds);
    }

    /// <summary>
    /// Publishes as fast as the server delivers, keeping at most <paramref name="window"/> deliveries in flight, and
    /// returns the deliveries per second over the measurement window.
    /// </summary>
    private async Task<(double PerSecond, long Delivered, double CrossNodePerSecond)> SaturateAsync(WsClient[] publishers, long[] roomSizes, long window, double? seconds = null)
    {
        var measurement = Measurement.Current = new Measurement();
        var start = Timestamps.Now();
        var measureStart = start + Timestamps.FromSeconds(_settings.WarmupSeconds);
        var end = measureStart + Timestamps.FromSeconds(seconds ?? _settings.MeasureSeconds);
        long expected = 0, deliveredAtStart = 0, crossNodeAtStart = 0, measuringSince = 0;
        var next = 0;
        await Pacer.RunAsync(() =>
        {
            var now = Timestamps.Now();
            if (now >= end) return false;
            if (measuringSince == 0 && now >= measureStart)
            {
                measuringSince = now;
                deliveredAtStart = measurement.Received;
                crossNodeAtStart = measurement.CrossNodeReceived;
            }
            while (expected - measurement.Received + roomSizes[next] <= window)
            {
                var publisher = publishers[next];
                _ = publisher.SendAsync(publisher.Stamped!, now);
                expected += roomSizes[next];
                next = (next + 1) % publishers.Length;
            }
            return true;
        });
        var delivered = measurement.Received - deliveredAtStart;
        var crossNode = measurement.CrossNodeReceived - crossNodeAtStart;
        var elapsed = Timestamps.ToSeconds(Timestamps.Now() - measuringSince);
        await DrainAsync(measurement, expected, "fan-out at saturation");
        if (delivered <= 0) throw new IOException("fan-out: nothing was delivered");
        return (delivered / elapsed, expected, crossNode / elapsed);
    }

    private readonly record struct LatencyResult(double P50, double P99, double P999, long Lost, long Sent = 0);

    /// <summary>Publishes at a fixed rate (round robin over the publishers) and measures delivery latency.</summary>
    private async Task<LatencyResult> FixedRateAsync(WsClient[] publishers, long[] roomSizes, double publishesPerSecond)
    {
        var measurement = Measurement.Current = new Measurement();
        var start = Timestamps.Now() + Timestamps.FromSeconds(0.01);
        var measureStart = start + Timestamps.FromSeconds(_settings.WarmupSeconds);
        var end = measureStart + Timestamps.FromSeconds(Math.Max(_settings.MeasureSeconds, publishers.Length / publishesPerSecond * 4));
        measurement.SetWindow(measureStart, end);
        var interval = Timestamps.FromSeconds(1) / publishesPerSecond;
        long sent = 0, expected = 0, expectedInWindow = 0;
        await Pacer.RunAsync(() =>
        {
            var now = Timestamps.Now();
            long stamp;
            while ((stamp = start + (long)(sent * interval)) <= now && stamp < end)
            {
                var index = (int)(sent % publishers.Length);
                _ = publishers[index].SendAsync(publishers[index].Stamped!, stamp);
                expected += roomSizes[index];
                if (stamp >= measureStart) expectedInWindow += roomSizes[index];
                sent++;
            }
            return stamp < end;
        });
        await DrainAsync(measurement, expected, "fan-out at a fixed rate");
        if (measurement.InWindow == 0) throw new IOException("fan-out: no delivery in the measurement window");
        return new LatencyResult(measurement.Latency.Percentile(50), measurement.Latency.Percentile(99), measurement.Latency.Percentile(99.9), expectedInWindow - measurement.InWindow);
    }

    private async Task DrainAsync(Measurement measurement, long expected, string what)
    {
        if (!await Measurement.WaitUntilAsync(() => measurement.Received >= expected, Seconds(20, 5)))
            throw new IOException($"{what}: {expected - measurement.Received} of {expected} packets never arrived");
    }

    // ---- 3. Ack round trip ----------------------------------------------------------------------------------

    private async Task AckAsync(ServerKind kind)
    {
        WsClient[] clients = [];
        var server = await ServerProcess.StartAsync(kind, "json", _root);
        try
        {
            clients = await ConnectWsAsync(server, Wire.Json, _settings.AckClients, rooms: null);
            await MeasureAcksAsync(server, clients, Wire.Json, _settings.AckPayload, _settings.AckRates, 3, $"{_settings.AckClients:N0} clients, {_settings.AckPayload} B");
        }
        finally
        {
            await server.DisposeAsync();
            Dispose(clients);
        }
    }

    private async Task MeasureAcksAsync(ServerProcess server, WsClient[] clients, Wire wire, int payload, IReadOnlyList<int> rates, int scenario, string label)
    {
        var kind = server.Kind;
        var factory = new FrameFactory(wire);
        foreach (var client in clients) client.Stamped = factory.Echo(payload);
        if (_settings.ServerWarmupSeconds > 0)
        {
            // Unmeasured, at the lowest rate: the server's hot paths are compiled before the first measurement.
            await OpenLoopAsync(clients, rates[0], _settings.ServerWarmupSeconds);
        }
        var overloaded = false;
        var best = 0;
        foreach (var rate in rates)
        {
            Metric P(string p) => new(scenario, $"{label}: {rate:N0} acks/s, {p}", "µs", false,
                p == "p99" ? Target.NotAboveReference : p == "p50" && scenario == 3 ? Target.AckP50NearControl : Target.None);
            Metric PerAck(string what, string unit) => new(scenario, $"{label}: {rate:N0} acks/s, {what}", unit, false);
            if (overloaded)
            {
                // A server past its limit at a lower rate: the higher ones are not run (they would only queue).
                foreach (var p in new[] { "p50", "p99", "p99.9" }) Add(P(p), kind, double.PositiveInfinity);
                continue;
            }
            // The whole open loop (its unmeasured start included) over every ack sent. Allocations per ack are
            // deterministic; CPU per ack is not: it includes the fixed costs of each wake-up (fewer acks share one at
            // low rates) and the .NET thread pool's spinning while it waits for work, so compare it between servers
            // of one run at one rate only.
            var cpuBefore = server.CpuSeconds();
            var allocatedBefore = await server.AllocatedBytesAsync();
            var result = await OpenLoopAsync(clients, rate, AckMeasureSeconds(rate));
            var cpu = server.CpuSeconds() - cpuBefore;
            var allocated = await server.AllocatedBytesAsync() - allocatedBefore;
            Add(P("p50"), kind, result.P50);
            Add(P("p99"), kind, result.Lost > 0 ? double.PositiveInfinity : result.P99);
            Add(P("p99.9"), kind, result.Lost > 0 ? double.PositiveInfinity : result.P999);
            Add(PerAck("server CPU per ack", "µs"), kind, cpu * 1e6 / result.Sent);
            if (allocated is { } bytes) Add(PerAck("server allocations per ack (.NET servers)", "B"), kind, (double)bytes / result.Sent);
            if (result.Lost == 0 && result.P99 < 10_000) best = rate;
            if (result.Lost > 0 || result.P99 > 1_000_000) overloaded = true;
        }
        if (scenario == 3) Add(new Metric(3, $"{label}: highest tested rate with p99 < 10 ms", "acks/s", true), kind, best);
    }

    /// <summary>
    /// How long one ack rate is measured: long enough for <see cref="MinAckSamples"/> samples. At 1,000 acks/s the usual
    /// 2 s would give 2,000, and a p99 read from 20 samples moved by ±150 µs between repetitions of the same server.
    /// </summary>
    private double AckMeasureSeconds(int rate) =>
        _settings.IsSmoke ? _settings.MeasureSeconds : Math.Max(_settings.MeasureSeconds, MinAckSamples / (double)rate);

    private const int MinAckSamples = 10_000;

    /// <summary>
    /// Sends echo events at a fixed rate, round robin over the clients, whatever the answers do (open loop); the
    /// latency of each acknowledgement counts from the time its send was scheduled.
    /// </summary>
    private async Task<LatencyResult> OpenLoopAsync(WsClient[] clients, int rate, double? seconds = null)
    {
        var measurement = Measurement.Current = new Measurement();
        var start = Timestamps.Now() + Timestamps.FromSeconds(0.01);
        var measureStart = start + Timestamps.FromSeconds(_settings.WarmupSeconds);
        var end = measureStart + Timestamps.FromSeconds(seconds ?? _settings.MeasureSeconds);
        measurement.SetWindow(measureStart, end);
        var interval = Timestamps.FromSeconds(1) / (double)rate;
        long sent = 0, inWindow = 0;
        await Pacer.RunAsync(() =>
        {
            var now = Timestamps.Now();
            long stamp;
            while ((stamp = start + (long)(sent * interval)) <= now && stamp < end)
            {
                var client = clients[sent % clients.Length];
                _ = client.SendAsync(client.Stamped!, stamp);
                if (stamp >= measureStart) inWindow++;
                sent++;
            }
            return stamp < end;
        });
        // Answers still missing after the wait are counted as lost (a server past its limit).
        await Measurement.WaitUntilAsync(() => measurement.Received >= sent, Seconds(5, 5));
        if (measurement.InWindow == 0) throw new IOException("ack: no acknowledgement arrived");
        return new LatencyResult(measurement.Latency.Percentile(50), measurement.Latency.Percentile(99), measurement.Latency.Percentile(99.9), inWindow - measurement.InWindow, sent);
    }

    // ---- 7. Serial acks on one connection (issue 15) ---------------------------------------------------------

    /// <summary>
    /// One client sends an echo with an ack, waits for the answer, and sends the next: the round trip of one message
    /// through an otherwise idle server, with no queueing behind other clients.
    /// </summary>
    private async Task SerialAcksAsync(ServerKind kind)
    {
        WsClient[] clients = [];
        var server = await ServerProcess.StartAsync(kind, "json", _root);
        try
        {
            clients = await ConnectWsAsync(server, Wire.Json, 1, rooms: null);
            var client = clients[0];
            client.Stamped = new FrameFactory(Wire.Json).Echo(_settings.AckPayload);
            var measurement = Measurement.Current = new Measurement();
            using var arrived = new SemaphoreSlim(0);
            measurement.Arrived = () => arrived.Release();
            async Task RunAsync(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    await client.SendAsync(client.Stamped!, Timestamps.Now());
                    if (!await arrived.WaitAsync(TimeSpan.FromSeconds(5))) throw new IOException("serial acks: an ack never came");
                }
            }
            await RunAsync(_settings.SerialAckWarmup);
            measurement.SetWindow(Timestamps.Now(), long.MaxValue);
            var cpuBefore = server.CpuSeconds();
            var allocatedBefore = await server.AllocatedBytesAsync();
            await RunAsync(_settings.SerialAcks);
            var cpu = server.CpuSeconds() - cpuBefore;
            var allocated = await server.AllocatedBytesAsync() - allocatedBefore;
            var name = $"1 connection, {_settings.AckPayload} B";
            Add(new Metric(7, $"{name}: serial ack round trip, p50", "µs", false, Target.NotAboveReference), kind, measurement.Latency.Percentile(50));
            Add(new Metric(7, $"{name}: serial ack round trip, p99", "µs", false, Target.NotAboveReference), kind, measurement.Latency.Percentile(99));
            Add(new Metric(7, $"{name}: server CPU per ack", "µs", false), kind, cpu * 1e6 / _settings.SerialAcks);
            // The "alloc" command's own answer is counted too (a few hundred bytes over the whole run).
            if (allocated is { } bytes) Add(new Metric(7, $"{name}: server allocations per ack (.NET servers)", "B", false), kind, (double)bytes / _settings.SerialAcks);
            ThrowIfAnyFailed(clients, "serial acks");
        }
        finally
        {
            await server.DisposeAsync();
            Dispose(clients);
        }
    }

    // ---- 4. Polling only ------------------------------------------------------------------------------------

    private async Task PollingAsync(ServerKind kind)
    {
        var count = _settings.PollingClients;
        var clients = new PollingClient[count];
        var server = await ServerProcess.StartAsync(kind, "json", _root);
        try
        {
            var connector = new Connector(server.Port, 1);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var next = -1;
            async Task ConnectSome()
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count) clients[i] = await PollingClient.ConnectAsync(connector, 64, timeout.Token);
            }
            await Task.WhenAll(Enumerable.Range(0, Math.Min(100, count)).Select(_ => ConnectSome()));

            var measurement = Measurement.Current = new Measurement();
            foreach (var client in clients) client.StartExchange();
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(_settings.ServerWarmupSeconds, 0.1)));
            var start = Timestamps.Now();
            var end = start + Timestamps.FromSeconds(_settings.PollingMeasureSeconds);
            measurement.SetWindow(start, end);
            var cpuBefore = server.CpuSeconds();
            var allocatedBefore = await server.AllocatedBytesAsync();
            var receivedBefore = measurement.Received;
            await Task.Delay(TimeSpan.FromSeconds(_settings.PollingMeasureSeconds));
            var cpu = server.CpuSeconds() - cpuBefore;
            var messages = measurement.Received - receivedBefore;
            var allocated = await server.AllocatedBytesAsync() - allocatedBefore;
            var elapsed = Timestamps.ToSeconds(Timestamps.Now() - start);
            foreach (var client in clients) client.StopExchange();
            var failed = clients.Count(c => c.Failed);
            if (failed > 0) throw new IOException($"{failed} of {count} polling clients failed");
            if (messages == 0) throw new IOException("polling: no message was exchanged");

            var name = $"{count:N0} polling clients";
            Add(new Metric(4, $"{name}: messages/s (each a pong-ev answering a ping-ev)", "/s", true, Target.TwiceReference), kind, messages / elapsed);
            Add(new Metric(4, $"{name}: server CPU per message", "µs", false), kind, cpu * 1e6 / messages);
            if (allocated is { } bytes) Add(new Metric(4, $"{name}: server allocations per message (.NET servers)", "B", false), kind, (double)bytes / messages);
            Add(new Metric(4, $"{name}: round trip p50", "µs", false), kind, measurement.Latency.Percentile(50));
            Add(new Metric(4, $"{name}: round trip p99", "µs", false), kind, measurement.Latency.Percentile(99));
        }
        finally
        {
            await server.DisposeAsync();
            foreach (var client in clients) client?.Dispose();
        }
    }

    // ---- 5. Parsers -----------------------------------------------------------------------------------------

    private async Task ParsersAsync(ServerKind kind)
    {
        foreach (var wire in _settings.ParserWires)
        {
            if (wire == Wire.MsgPack && kind == ServerKind.Control) continue;
            WsClient[] clients = [], publishers = [];
            var server = await ServerProcess.StartAsync(kind, wire.Parser(), _root);
            try
            {
                var count = _settings.ParserClients;
                clients = await ConnectWsAsync(server, wire, count, _ => ["all"]);
                publishers = await ConnectWsAsync(server, wire, 1, rooms: null);
                var factory = new FrameFactory(wire);
                publishers[0].Stamped = factory.Publish("all", 1024);
                await WarmUpFanOutAsync(publishers[0], publishers[0].Stamped!, count);
                var label = $"{wire.Name()}, {count:N0} clients, 1 KB";
                var (throughput, _, _) = await SaturateAsync(publishers, [count], window: _settings.WindowPerClient * count);
                Add(new Metric(5, $"{label}: fan-out deliveries/s at saturation", "/s", true), kind, throughput);
                var latency = await FixedRateAsync(publishers, [count], _settings.LatencyDeliveriesPerSecond / (double)count);
                Add(new Metric(5, $"{label}: fan-out p50 at {_settings.LatencyDeliveriesPerSecond:N0} deliveries/s", "µs", false), kind, latency.P50);
                Add(new Metric(5, $"{label}: fan-out p99 at {_settings.LatencyDeliveriesPerSecond:N0} deliveries/s", "µs", false), kind, latency.P99);
                await MeasureAcksAsync(server, clients, wire, 1024, _settings.ParserAckRates, 5, label);
                ThrowIfAnyFailed(clients, "parsers");
            }
            finally
            {
                await server.DisposeAsync();
                Dispose(clients);
                Dispose(publishers);
            }
        }
    }

    // ---- 6. Redis cluster (issue 11) -------------------------------------------------------------------------

    /// <summary>
    /// Two nodes of one server kind on a private redis-server, the clients split over both (all in one room), one
    /// publisher on the first node: a broadcast reaches the first node's clients directly and the second node's
    /// through Redis. Cross-node deliveries/s and latency are those of the second node's clients.
    /// </summary>
    private async Task ClusterAsync(ServerKind kind)
    {
        if (RedisProcess.FindProgram() is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Console.Write("skipped (redis-server is not installed; under CI=true this fails) ... ");
            return;
        }
        var count = _settings.ClusterClients;
        var payload = _settings.ClusterPayload;
        WsClient[] local = [], remote = [], publishers = [];
        ServerProcess? first = null, second = null;
        var redis = await RedisProcess.StartAsync();
        try
        {
            first = await ServerProcess.StartAsync(kind, "json", _root, redis.Address);
            second = await ServerProcess.StartAsync(kind, "json", _root, redis.Address);
            local = await ConnectWsAsync(first, Wire.Json, count / 2, _ => ["all"]);
            remote = await ConnectWsAsync(second, Wire.Json, count - count / 2, _ => ["all"]);
            foreach (var client in remote) client.CrossNode = true;
            publishers = await ConnectWsAsync(first, Wire.Json, 1, rooms: null);
            var factory = new FrameFactory(Wire.Json);
            publishers[0].Stamped = factory.Publish("all", payload);
            await WaitForClusterAsync(publishers[0], count);
            await WarmUpFanOutAsync(publishers[0], publishers[0].Stamped!, count);

            var name = $"{count:N0} clients (half on each node), 1 room, {payload} B";
            // CPU per delivery (over the whole saturation, its unmeasured start and drain included): what each
            // delivery costs, whatever share of the 2 cores each process got on this shared machine.
            var serversCpuBefore = first.CpuSeconds() + second.CpuSeconds();
            var generatorCpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var (total, delivered, crossNode) = await SaturateAsync(publishers, [count], window: _settings.WindowPerClient * count);
            var serversCpu = first.CpuSeconds() + second.CpuSeconds() - serversCpuBefore;
            var generatorCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - generatorCpuBefore;
            Add(new Metric(6, $"{name}: cross-node deliveries/s at saturation", "/s", true, Target.ThriceReference), kind, crossNode);
            Add(new Metric(6, $"{name}: all deliveries/s at saturation (both nodes)", "/s", true), kind, total);
            Add(new Metric(6, $"{name}: servers' CPU per delivery at saturation (both nodes)", "µs", false), kind, serversCpu * 1e6 / delivered);
            Add(new Metric(6, $"{name}: load generator's CPU per delivery at saturation", "µs", false), kind, generatorCpu * 1e6 / delivered);

            var rate = _settings.LatencyDeliveriesPerSecond;
            var latency = await FixedRateAsync(publishers, [count], rate / (double)count);
            var crossLatency = Measurement.Current.CrossNodeLatency;
            Add(new Metric(6, $"{name}: cross-node p50 at {rate:N0} deliveries/s", "µs", false), kind, crossLatency.Percentile(50));
            Add(new Metric(6, $"{name}: cross-node p99 at {rate:N0} deliveries/s", "µs", false, Target.NotAboveReference), kind,
                latency.Lost > 0 ? double.PositiveInfinity : crossLatency.Percentile(99));
            Add(new Metric(6, $"{name}: p99 of all deliveries (both nodes) at {rate:N0} deliveries/s", "µs", false), kind, latency.P99);
            ThrowIfAnyFailed(local, "cluster");
            ThrowIfAnyFailed(remote, "cluster");
        }
        finally
        {
            if (first is not null) await first.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
            await redis.DisposeAsync();
            Dispose(local);
            Dispose(remote);
            Dispose(publishers);
        }
    }

    /// <summary>
    /// Waits until a broadcast from the first node reaches every client of both: each node subscribes to Redis on
    /// its own schedule after it listens, and a broadcast sent before that would never arrive.
    /// </summary>
    private static async Task WaitForClusterAsync(WsClient publisher, int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var measurement = Measurement.Current = new Measurement();
            await publisher.SendAsync(publisher.Stamped!, Timestamps.Now());
            if (await Measurement.WaitUntilAsync(() => measurement.Received >= count, TimeSpan.FromMilliseconds(200))) return;
        }
        throw new IOException("cluster: a broadcast never reached every client of both nodes");
    }

    // ---- Clients --------------------------------------------------------------------------------------------

    private async Task<WsClient[]> ConnectWsAsync(ServerProcess server, Wire wire, int count, Func<int, IReadOnlyList<string>>? rooms)
    {
        var connector = new Connector(server.Port, Connector.SourceAddressesFor(count));
        var factory = new FrameFactory(wire);
        var clients = new WsClient[count];
        var next = -1;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(60, count / 100.0)));
        async Task ConnectSome()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var client = await WsClient.ConnectAsync(connector, wire, factory, timeout.Token);
                clients[i] = client;
                if (rooms is not null) await client.JoinAsync(factory.Join(rooms(i)));
            }
        }
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(_settings.ConnectConcurrency, count)).Select(_ => ConnectSome()));
        }
        catch
        {
            Dispose(clients);
            throw;
        }
        return clients;
    }

    private static void ThrowIfAnyFailed(WsClient[] clients, string what)
    {
        var failed = clients.Count(c => c.Failed);
        if (failed > 0) throw new IOException($"{what}: {failed} of {clients.Length} clients lost their connection");
    }

    private static void Dispose(IEnumerable<IDisposable?> clients)
    {
        foreach (var client in clients) client?.Dispose();
    }
}
