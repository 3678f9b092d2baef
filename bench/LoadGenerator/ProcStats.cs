namespace Bench;

/// <summary>A process's resident memory and CPU time from /proc (Linux).</summary>
internal static class ProcStats
{
    // USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux this runs on.
    private const double ClockTicksPerSecond = 100;

    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
        }
        return 0;
    }

    /// <summary>User plus system CPU time consumed so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / ClockTicksPerSecond;
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
