using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketIo.Redis.Tests;

/// <summary>
/// A private redis-server on a free loopback port, without persistence, stopped (killed) on dispose. It can be
/// stopped and started again on the same port, to test outages.
/// </summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    // The servers still running: killed when the test process exits, so that one a failed test never stopped (or a
    // test run cut short) does not outlive it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, byte> Running = new();

    static RedisProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };
    private Process? _process;

    private RedisProcess(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The same place as a URL, as Node users write it.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>The redis-server program on PATH, or null.</summary>
    public static string? Program { get; } = FindProgram();

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (again) on its port.</summary>
    public async Task StartAgainAsync()
    {
        if (Program is null) throw new InvalidOperationException("redis-server is not installed.");
        var info = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        Running.TryAdd(_process, 0);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                // Not listening yet: the next attempt follows shortly.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the server, as a crash would: its clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Running.TryRemove(_process, out _);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindProgram()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>
/// A test that needs redis-server: skipped when it is not installed, except under <c>CI=true</c>, where it runs
/// (and fails) so that a missing Redis can never pass unnoticed.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisProcess.Program is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "redis-server is not installed (scripts/test.sh installs it; under CI=true this test fails instead).";
    }
}
