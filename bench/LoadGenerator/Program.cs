using System.Globalization;
using Bench;

// Runs the benchmarks of issue 6: every scenario against every server, alternating servers, several repetitions,
// then prints the medians and ratios and writes a Markdown report. bench/run.sh builds everything and runs this.
//   --smoke              a few seconds with small counts (CI); fails on any error
//   --reps N             repetitions per server and scenario (default 5)
//   --scenarios 1,2,...  which scenarios (default all six; 6 is the Redis cluster of issue 11)
//   --servers a,b        ours, reference, control (default all three)
//   --report PATH        where to write the Markdown report (default bench/results/<date>.md; TestResults/bench-smoke.md for --smoke)
//   --note TEXT          a line for the report (e.g. what else was running)
//   --soak ...           the soak instead (see Soak.cs for its options)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var root = FindRoot();
if (args.Contains("--soak"))
{
    // The soak of issue 12: its own run and report (bench/LoadGenerator/Soak.cs).
    AppDomain.CurrentDomain.ProcessExit += (_, _) => ServerProcess.KillAll();
    ThreadPool.SetMinThreads(Math.Max(8, Environment.ProcessorCount * 4), Math.Max(8, Environment.ProcessorCount * 4));
    return await Soak.RunAsync(args, root);
}
var settings = BenchSettings.Parse(args);

AppDomain.CurrentDomain.ProcessExit += (_, _) => ServerProcess.KillAll();
Console.CancelKeyPress += (_, e) =>
{
    ServerProcess.KillAll();
};
var deadline = new Timer(_ =>
{
    Console.Error.WriteLine($"bench: the run passed its deadline ({settings.Deadline}); stopping.");
    ServerProcess.KillAll();
    Environment.Exit(3);
}, null, settings.Deadline, Timeout.InfiniteTimeSpan);

ThreadPool.SetMinThreads(Math.Max(8, Environment.ProcessorCount * 4), Math.Max(8, Environment.ProcessorCount * 4));
var results = new Results();
var scenarios = new Scenarios(settings, results, root);
var started = DateTime.UtcNow;
var loadBefore = ProcStats.LoadAverage();
// Described before the run: the commit is the one measured, even if the tree moves on meanwhile.
var machine = MachineInfo.Describe(root);
var clock = System.Diagnostics.Stopwatch.StartNew();
Console.WriteLine($"bench: {(settings.IsSmoke ? "smoke" : "full")} run, {settings.Repetitions} repetition(s), scenarios {string.Join(",", settings.Scenarios)}, servers {string.Join(",", settings.Servers.Select(s => s.Name()))}; load average {loadBefore}");

foreach (var scenario in settings.Scenarios)
{
    var servers = settings.Servers.Where(s => Scenarios.Supports(scenario, s)).ToArray();
    for (var rep = 0; rep < settings.Repetitions; rep++)
    {
        // A/B/A/B: the order rotates with every repetition, so no server always runs first or last.
        for (var i = 0; i < servers.Length; i++)
        {
            var server = servers[(i + rep) % servers.Length];
            var lap = System.Diagnostics.Stopwatch.StartNew();
            Console.Write($"[{clock.Elapsed:mm\\:ss}] S{scenario} {Scenarios.Title(scenario)}, repetition {rep + 1}/{settings.Repetitions}, {server.Name()} ... ");
            var recorded = results.Count;
            try
            {
                await scenarios.RunAsync(scenario, server);
                Console.WriteLine($"{lap.Elapsed.TotalSeconds:F1} s");
                foreach (var (metric, _, value) in results.Log.Skip(recorded))
                    Console.WriteLine($"      {metric.Name}: {Report.FormatValue(value)} {metric.Unit}");
            }
            catch (Exception ex)
            {
                var failure = $"S{scenario} {server.Name()} repetition {rep + 1}: {ex.GetType().Name}: {ex.Message}";
                results.Failures.Add(failure);
                Console.WriteLine("FAILED: " + ex.Message);
                ServerProcess.KillAll();
            }
        }
    }
}

deadline.Dispose();
var elapsed = clock.Elapsed;
var reportPath = settings.ReportPath ?? (settings.IsSmoke
    ? Path.Combine(root, "TestResults", "bench-smoke.md")
    : Path.Combine(root, "bench", "results", $"{started:yyyy-MM-dd-HHmm}.md"));
var command = "bench/run.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
var report = Report.Write(settings, results, machine, loadBefore, ProcStats.LoadAverage(), started, elapsed, command);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
File.WriteAllText(reportPath, report);

Console.WriteLine();
foreach (var metric in results.Metrics)
{
    var medians = string.Join("  ", settings.Servers.Select(s => $"{s.Name()} {Report.FormatValue(results.Median(metric, s))}"));
    var ours = results.Median(metric, ServerKind.Ours);
    var reference = results.Median(metric, ServerKind.Reference);
    var control = results.Median(metric, ServerKind.Control);
    var ratios = $"ours/reference {(reference != 0 ? ours / reference : double.NaN):F2}  ours/control {(control != 0 ? ours / control : double.NaN):F2}";
    Console.WriteLine($"S{metric.Scenario} {metric.Name} ({metric.Unit}): {medians}  |  {ratios}");
}
Console.WriteLine();
foreach (var line in Report.Targets(results)) Console.WriteLine(line);
Console.WriteLine();
Console.WriteLine($"bench: report written to {reportPath} ({elapsed.TotalSeconds:F0} s)");
if (results.Failures.Count > 0)
{
    Console.Error.WriteLine($"bench: {results.Failures.Count} failure(s):");
    foreach (var failure in results.Failures) Console.Error.WriteLine("  " + failure);
    return 1;
}
return 0;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) return dir.FullName;
    }
    return Directory.GetCurrentDirectory();
}
