using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bench;

/// <summary>
/// A private redis-server for the cluster scenario: a free loopback port, no persistence (no RDB, no AOF), killed
/// when disposed and, like the bench servers, when the generator exits however it exits.
/// </summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private static readonly List<Process> Live = [];

    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>host:port, as the bench servers' <c>--redis</c> option takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Whether redis-server is on the PATH.</summary>
    public static string? FindProgram() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);

    public static async Task<RedisProcess> StartAsync()
    {
        var program = FindProgram() ?? throw new FileNotFoundException("redis-server is not installed (the cluster scenario needs it)");
        var port = ServerProcess.NextFreePort();
        var info = new ProcessStartInfo(program)
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        lock (Live) Live.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new RedisProcess(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return redis;
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                await redis.DisposeAsync();
                throw new IOException($"redis-server did not start on port {port}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (Live) Live.Remove(_process);
        Kill(_process);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed; the exit is only late.
        }
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Kills every redis-server still running (on exit, Ctrl+C or the run's deadline).</summary>
    public static void KillAll()
    {
        Process[] live;
        lock (Live) live = [.. Live];
        foreach (var process in live) Kill(process);
    }
}
