using System.Globalization;
using System.Text;

namespace Bench;

/// <summary>The Markdown report: machine, medians with ratios, the issue's targets, and every raw value.</summary>
internal static class Report
{
    public static string Write(BenchSettings settings, Results results, IReadOnlyList<(string Name, string Value)> machine, string loadBefore, string loadAfter, DateTime started, TimeSpan elapsed, string command)
    {
        var servers = settings.Servers;
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark: ours vs the reference socket.io server{(settings.IsSmoke ? " (smoke)" : "")}");
        md.AppendLine();
        md.AppendLine($"Run {started:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:F1} min, {settings.Repetitions} repetition(s) per server and scenario, servers alternated (the order rotates every repetition). Command: `{command}`");
        md.AppendLine();
        md.AppendLine("| Machine | |");
        md.AppendLine("| --- | --- |");
        foreach (var (name, value) in machine) md.AppendLine($"| {name} | {value} |");
        md.AppendLine($"| Load average (1, 5, 15 min) before / after | {loadBefore} / {loadAfter} |");
        md.AppendLine();
        md.AppendLine("All servers and clients run on this machine over loopback; the load generator shares the CPU with the server under test. " +
                      "Medians over the repetitions; `∞` is a rate not reached (answers lost, or skipped after a lower rate overloaded the server).");
        if (settings.Note is { } note)
        {
            md.AppendLine();
            md.AppendLine($"Note: {note}");
        }

        if (results.Failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Failures");
            md.AppendLine();
            foreach (var failure in results.Failures) md.AppendLine($"- {failure}");
        }

        var hasControl = servers.Contains(ServerKind.Control);
        var hasReference = servers.Contains(ServerKind.Reference);
        var hasDirect = servers.Contains(ServerKind.OursDirect);
        foreach (var scenario in results.Metrics.Select(m => m.Scenario).Distinct())
        {
            md.AppendLine();
            md.AppendLine($"## {scenario}. {Scenarios.Title(scenario)}");
            md.AppendLine();
            md.Append("| Metric |");
            foreach (var server in servers) md.Append($" {server.Name()} |");
            if (hasReference) md.Append(" ours / reference |");
            if (hasControl) md.Append(" ours / control |");
            if (hasDirect && hasReference) md.Append(" direct / reference |");
            if (hasDirect && hasControl) md.Append(" direct / control |");
            md.AppendLine();
            md.Append("| --- |");
            foreach (var _ in servers) md.Append(" ---: |");
            if (hasReference) md.Append(" ---: |");
            if (hasControl) md.Append(" ---: |");
            if (hasDirect && hasReference) md.Append(" ---: |");
            if (hasDirect && hasControl) md.Append(" ---: |");
            md.AppendLine();
            foreach (var metric in results.Metrics.Where(m => m.Scenario == scenario))
            {
                md.Append($"| {metric.Name} ({metric.Unit}) |");
                foreach (var server in servers) md.Append($" {Format(results.Median(metric, server), results.Values(metric, server))} |");
                if (hasReference) md.Append($" {Ratio(results, metric, ServerKind.Reference)} |");
                if (hasControl) md.Append($" {Ratio(results, metric, ServerKind.Control)} |");
                if (hasDirect && hasReference) md.Append($" {Ratio(results.Median(metric, ServerKind.OursDirect), results.Median(metric, ServerKind.Reference))} |");
                if (hasDirect && hasControl) md.Append($" {Ratio(results.Median(metric, ServerKind.OursDirect), results.Median(metric, ServerKind.Control))} |");
                md.AppendLine();
            }
        }

        md.AppendLine();
        md.AppendLine("## Targets (issues 6, 11 and 15; \"ours\" is the default configuration)");
        md.AppendLine();
        foreach (var line in Targets(results)) md.AppendLine($"- {line}");

        md.AppendLine();
        md.AppendLine("## Raw values (one per repetition, in run order)");
        md.AppendLine();
        md.AppendLine("| Metric | Server | Values |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var metric in results.Metrics)
        {
            foreach (var server in servers)
            {
                var values = results.Values(metric, server);
                if (values.Count > 0) md.AppendLine($"| S{metric.Scenario} {metric.Name} ({metric.Unit}) | {server.Name()} | {string.Join(", ", values.Select(FormatValue))} |");
            }
        }
        return md.ToString();
    }

    public static IEnumerable<string> Targets(Results results)
    {
        foreach (var metric in results.Metrics.Where(m => m.Target != Target.None))
        {
            var ours = results.Median(metric, ServerKind.Ours);
            var reference = results.Median(metric, ServerKind.Reference);
            var control = results.Median(metric, ServerKind.Control);
            var direct = results.Median(metric, ServerKind.OursDirect);
            var label = $"S{metric.Scenario} {metric.Name}";
            switch (metric.Target)
            {
                case Target.FanOutThroughput:
                    yield return $"{Mark(ours >= 3 * reference && ours >= 0.8 * control)} {label}: ours / reference {Ratio(ours, reference)} (target ≥ 3), ours / control {Ratio(ours, control)} (target ≥ 0.8)";
                    if (metric.Scenario == 2 && metric.Name.StartsWith("1,000 clients, 1 room, 64 B", StringComparison.Ordinal))
                        yield return $"{Mark(ours >= 0.6 * control)} {label} (issue 15): ours / control {Ratio(ours, control)} (target ≥ 0.6); direct / control {Ratio(direct, control)}";
                    break;
                case Target.NotAboveReference when metric.Scenario == 1 && metric.Name.Contains("RSS", StringComparison.Ordinal) && !double.IsNaN(direct):
                    yield return $"{Mark(ours <= reference)} {label}: ours {FormatValue(ours)} vs reference {FormatValue(reference)} {metric.Unit} (target: ours ≤ reference)";
                    yield return $"{Mark(direct <= 10)} {label} (issue 15): direct {FormatValue(direct)} KB (target: ≤ 10 KB)";
                    break;
                case Target.NotAboveReference when double.IsPositiveInfinity(ours) && double.IsPositiveInfinity(reference):
                    yield return $"neither: {label}: both servers were past their limit";
                    break;
                case Target.NotAboveReference:
                    yield return $"{Mark(ours <= reference)} {label}: ours {FormatValue(ours)} vs reference {FormatValue(reference)} {metric.Unit} (target: ours ≤ reference)";
                    break;
                case Target.AckP50NearControl:
                    yield return $"{Mark(ours - control <= 20)} {label}: ours {FormatValue(ours)} vs control {FormatValue(control)} µs (target: within 20 µs)";
                    break;
                case Target.TwiceReference:
                    yield return $"{Mark(ours >= 2 * reference)} {label}: ours / reference {Ratio(ours, reference)} (target ≥ 2)";
                    break;
                case Target.ThriceReference:
                    yield return $"{Mark(ours >= 3 * reference)} {label}: ours / reference {Ratio(ours, reference)} (target ≥ 3)";
                    break;
            }
        }
    }

    private static string Mark(bool met) => met ? "met:" : "**missed:**";

    private static string Ratio(Results results, Metric metric, ServerKind other) =>
        Ratio(results.Median(metric, ServerKind.Ours), results.Median(metric, other));

    private static string Ratio(double ours, double other) =>
        double.IsFinite(ours) && double.IsFinite(other) && other != 0 ? (ours / other).ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string Format(double median, IReadOnlyList<double> values) =>
        values.Count == 0 ? "–" : double.IsNaN(median) ? "∞" : FormatValue(median);

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "∞",
        double.NaN => "–",
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };
}
