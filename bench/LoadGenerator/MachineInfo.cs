using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Bench;

/// <summary>The machine and software a run was measured on, for the report.</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<(string Name, string Value)> Describe(string root) =>
    [
        ("CPU", CpuModel()),
        ("Cores", Environment.ProcessorCount.ToString()),
        ("Memory", MemoryTotal()),
        ("OS", $"{OsName()} (kernel {Read("/proc/sys/kernel/osrelease")})"),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("Node", Run("node", "--version")),
        ("npm socket.io", PackageVersion(root, "socket.io")),
        ("Commit", Run("git", "-C", root, "rev-parse", "--short", "HEAD") + (Run("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")),
    ];

    private static string CpuModel()
    {
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string MemoryTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        if (line is null) return "?";
        var kb = long.Parse(line[9..].Trim().Split(' ')[0]);
        return $"{kb / 1024.0 / 1024.0:F1} GiB";
    }

    private static string OsName()
    {
        var line = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) : null;
        return line?[12..].Trim('"') ?? RuntimeInformation.OSDescription;
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "?";

    private static string PackageVersion(string root, string package)
    {
        var path = Path.Combine(root, "node_modules", package, "package.json");
        if (!File.Exists(path)) return "not installed";
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("version").GetString() ?? "?";
    }

    private static string Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args) info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
