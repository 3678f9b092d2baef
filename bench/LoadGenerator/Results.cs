namespace Bench;

/// <summary>One measured quantity of a scenario, e.g. "1,000 clients, 1 room, 64 B: deliveries/s".</summary>
internal sealed record Metric(int Scenario, string Name, string Unit, bool HigherIsBetter, Target Target = Target.None);

/// <summary>Which of issue 6's targets a metric is judged by.</summary>
internal enum Target
{
    None,
    /// <summary>At least 3x the reference and 80% of the control.</summary>
    FanOutThroughput,
    /// <summary>No more than the reference.</summary>
    NotAboveReference,
    /// <summary>Ack p50 within 20 µs of the control.</summary>
    AckP50NearControl,
    /// <summary>At least 2x the reference.</summary>
    TwiceReference,
    /// <summary>At least 3x the reference (the cluster scenario of issue 11).</summary>
    ThriceReference,
}

/// <summary>Every value of a run, by metric, server and repetition; plus failures, which are reported too.</summary>
internal sealed class Results
{
    private readonly List<Metric> _order = [];
    private readonly Dictionary<Metric, Dictionary<ServerKind, List<double>>> _values = [];

    public List<string> Failures { get; } = [];

    public List<string> Rounds { get; } = [];

    public IReadOnlyList<Metric> Metrics => _order;

    /// <summary>The number of values recorded so far (to print what one run added).</summary>
    public int Count { get; private set; }

    /// <summary>Every value in the order recorded.</summary>
    public List<(Metric Metric, ServerKind Server, double Value)> Log { get; } = [];

    public void Add(Metric metric, ServerKind server, double value)
    {
        lock (_values)
        {
            if (!_values.TryGetValue(metric, out var byServer))
            {
                _values[metric] = byServer = [];
                _order.Add(metric);
            }
            if (!byServer.TryGetValue(server, out var list)) byServer[server] = list = [];
            list.Add(value);
            Log.Add((metric, server, value));
            Count++;
        }
    }

    public IReadOnlyList<double> Values(Metric metric, ServerKind server) =>
        _values.TryGetValue(metric, out var byServer) && byServer.TryGetValue(server, out var list) ? list : [];

    /// <summary>The median (an unreached rate counts as infinite), NaN if there are no values.</summary>
    public double Median(Metric metric, ServerKind server)
    {
        var values = Values(metric, server).Where(v => !double.IsNaN(v)).Order().ToArray();
        if (values.Length == 0) return double.NaN;
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }
}
