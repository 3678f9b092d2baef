namespace Bench;

/// <summary>What one run measures. The defaults are the full run of issue 6; <see cref="Smoke"/> is CI's few seconds.</summary>
internal sealed class BenchSettings
{
    public bool IsSmoke { get; init; }
    public int Repetitions { get; init; } = 5;
    public IReadOnlyList<int> Scenarios { get; init; } = [1, 2, 3, 4, 5, 6, 7];
    public IReadOnlyList<ServerKind> Servers { get; init; } = [ServerKind.Ours, ServerKind.OursDirect, ServerKind.Reference, ServerKind.Control];

    public int IdleClients { get; init; } = 15_000;
    /// <summary>How long scenario 1 keeps its clients connected after measuring (to take a heap dump by hand).</summary>
    public int IdleHoldSeconds { get; init; }
    public IReadOnlyList<int> FanOutClients { get; init; } = [1_000, 10_000];
    public IReadOnlyList<int> FanOutRooms { get; init; } = [1, 10];
    public IReadOnlyList<int> FanOutPayloads { get; init; } = [64, 1024];
    /// <summary>How many deliveries per client a saturating publisher keeps in flight.</summary>
    /// Measured on this machine: with 4, the servers sat idle between bursts (and a 1,000-client room looked 2-3x
    /// slower than ten rooms for every server); from 16 on, they stay busy.
    public int WindowPerClient { get; init; } = 16;
    /// <summary>The delivery rate at which fan-out latency is measured (well under every server's saturation).</summary>
    public int LatencyDeliveriesPerSecond { get; init; } = 20_000;

    public int AckClients { get; init; } = 1_000;
    public IReadOnlyList<int> AckRates { get; init; } = [1_000, 2_000, 5_000, 10_000, 20_000, 40_000];
    public int AckPayload { get; init; } = 64;

    public int PollingClients { get; init; } = 1_000;

    /// <summary>Scenario 7 (issue 15): acks one at a time on one connection, after this many unmeasured ones.</summary>
    public int SerialAcks { get; init; } = 20_000;
    public int SerialAckWarmup { get; init; } = 5_000;

    public int ParserClients { get; init; } = 1_000;
    public IReadOnlyList<int> ParserAckRates { get; init; } = [2_000, 10_000];
    /// <summary>The wires of scenario 5 (the smoke run leaves out JSON, which scenarios 2 and 3 already use).</summary>
    public IReadOnlyList<Wire> ParserWires { get; init; } = [Wire.Json, Wire.MsgPack, Wire.Binary];

    /// <summary>Scenario 6 (issue 11): clients over both nodes of a 2-node Redis cluster, half on each.</summary>
    public int ClusterClients { get; init; } = 1_000;
    public int ClusterPayload { get; init; } = 64;

    /// <summary>Unmeasured load at the start of each server's run (tiered JIT compilation settles meanwhile).</summary>
    public double ServerWarmupSeconds { get; init; } = 3;
    /// <summary>Unmeasured time at the start of each measurement.</summary>
    public double WarmupSeconds { get; init; } = 0.5;
    public double MeasureSeconds { get; init; } = 2;
    public double PollingMeasureSeconds { get; init; } = 3;
    public int ConnectConcurrency { get; init; } = 200;

    /// <summary>The whole run is stopped (servers killed, non-zero exit) past this.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromHours(2);

    public string? ReportPath { get; init; }
    public string? Note { get; init; }

    public static BenchSettings Smoke() => new()
    {
        IsSmoke = true,
        Repetitions = 1,
        IdleClients = 200,
        FanOutClients = [100],
        FanOutRooms = [1, 10],
        FanOutPayloads = [64],
        LatencyDeliveriesPerSecond = 5_000,
        AckClients = 50,
        AckRates = [500],
        PollingClients = 20,
        SerialAcks = 200,
        SerialAckWarmup = 50,
        ParserClients = 50,
        ParserAckRates = [500],
        ParserWires = [Wire.MsgPack, Wire.Binary],
        ClusterClients = 40,
        ServerWarmupSeconds = 0,
        WarmupSeconds = 0.05,
        MeasureSeconds = 0.2,
        PollingMeasureSeconds = 0.3,
        Deadline = TimeSpan.FromSeconds(90),
    };

    public static BenchSettings Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var settings = smoke ? Smoke() : new BenchSettings();
        string? Value(string name)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }
        static int[] Ints(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

        return new BenchSettings
        {
            IsSmoke = settings.IsSmoke,
            Repetitions = Value("reps") is { } reps ? int.Parse(reps) : settings.Repetitions,
            Scenarios = Value("scenarios") is { } scenarios ? Ints(scenarios) : settings.Scenarios,
            Servers = Value("servers") is { } servers ? servers.Split(',').Select(ServerKindNames.Parse).ToArray() : settings.Servers,
            IdleClients = Value("idle-clients") is { } idle ? int.Parse(idle) : settings.IdleClients,
            IdleHoldSeconds = Value("idle-hold") is { } hold ? int.Parse(hold) : 0,
            FanOutClients = Value("fanout-clients") is { } fanOut ? Ints(fanOut) : settings.FanOutClients,
            FanOutRooms = settings.FanOutRooms,
            FanOutPayloads = settings.FanOutPayloads,
            LatencyDeliveriesPerSecond = settings.LatencyDeliveriesPerSecond,
            WindowPerClient = Value("window") is { } window ? int.Parse(window) : settings.WindowPerClient,
            AckClients = settings.AckClients,
            AckRates = Value("ack-rates") is { } rates ? Ints(rates) : settings.AckRates,
            AckPayload = settings.AckPayload,
            PollingClients = settings.PollingClients,
            SerialAcks = Value("serial-acks") is { } serial ? int.Parse(serial) : settings.SerialAcks,
            SerialAckWarmup = settings.SerialAckWarmup,
            ParserClients = settings.ParserClients,
            ParserAckRates = settings.ParserAckRates,
            ParserWires = settings.ParserWires,
            ClusterClients = Value("cluster-clients") is { } cluster ? int.Parse(cluster) : settings.ClusterClients,
            ClusterPayload = settings.ClusterPayload,
            ServerWarmupSeconds = Value("server-warmup") is { } serverWarmup ? double.Parse(serverWarmup, System.Globalization.CultureInfo.InvariantCulture) : settings.ServerWarmupSeconds,
            WarmupSeconds = settings.WarmupSeconds,
            MeasureSeconds = Value("measure") is { } measure ? double.Parse(measure, System.Globalization.CultureInfo.InvariantCulture) : settings.MeasureSeconds,
            PollingMeasureSeconds = settings.PollingMeasureSeconds,
            ConnectConcurrency = settings.ConnectConcurrency,
            Deadline = Value("deadline-minutes") is { } minutes ? TimeSpan.FromMinutes(double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture)) : settings.Deadline,
            ReportPath = Value("report"),
            Note = Value("note"),
        };
    }
}
