using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Bench;

/// <summary>
/// A bench server started as a child process on a free loopback port. Its stdin is its lifeline: closing it (or
/// this process dying) stops it. Every live server is killed when the generator exits, however it exits.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly List<ServerProcess> Live = [];
    // A random start: another run of the bench on the same machine (another worktree) takes the same sequence, and a
    // port probed free here can be taken by it before our server binds it.
    private static int _nextPort = 21000 + Random.Shared.Next(10_000);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private ServerProcess(Process process, ServerKind kind, int port)
    {
        _process = process;
        Kind = kind;
        Port = port;
    }

    public ServerKind Kind { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>Starts a bench server; with <paramref name="redis"/> (host:port) it joins a cluster through its Redis adapter.</summary>
    public static async Task<ServerProcess> StartAsync(ServerKind kind, string parser, string root, string? redis = null)
    {
        var port = NextFreePort();
        var info = kind switch
        {
            ServerKind.Ours or ServerKind.OursDirect => Dotnet(ServerDll(root, "DotnetServer")),
            ServerKind.Control => Dotnet(ServerDll(root, "ControlServer")),
            _ => new ProcessStartInfo("node") { ArgumentList = { "--expose-gc", Path.Combine(root, "bench/node-server.mjs") } },
        };
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString());
        info.ArgumentList.Add("--parser");
        info.ArgumentList.Add(parser);
        if (redis is not null)
        {
            if (kind == ServerKind.Control) throw new ArgumentException("the control server has no Redis adapter");
            info.ArgumentList.Add("--redis");
            info.ArgumentList.Add(redis);
        }
        if (kind is ServerKind.Ours or ServerKind.OursDirect)
        {
            // BENCH_OURS_MODE set by hand (e.g. no-handoff) applies to "ours"; "direct" is always direct.
            info.Environment["BENCH_OURS_MODE"] = kind == ServerKind.OursDirect ? "direct" : Environment.GetEnvironmentVariable("BENCH_OURS_MODE") ?? "default";
        }
        info.WorkingDirectory = root;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        var server = new ServerProcess(process, kind, port);
        lock (Live) Live.Add(server);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) server._lines.Writer.TryComplete();
            else server._lines.Writer.TryWrite(e.Data);
        };
        process.BeginOutputReadLine();
        await server.WaitForLineAsync("READY", TimeSpan.FromSeconds(60));
        return server;
    }

    // BENCH_SERVERS_DIR=/some/dir runs $dir/DotnetServer/DotnetServer.dll (a build made with -o elsewhere, e.g. to
    // compare two builds) instead of the Release build in the tree.
    private static string ServerDll(string root, string name) =>
        Environment.GetEnvironmentVariable("BENCH_SERVERS_DIR") is { Length: > 0 } dir
            ? Path.Combine(dir, name, name + ".dll")
            : Path.Combine(root, "bench", name, "bin/Release/net10.0", name + ".dll");

    private static ProcessStartInfo Dotnet(string dll)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing: build the bench projects in Release first (bench/run.sh does)");
        return new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
    }

    internal static int NextFreePort()
    {
        // Below the ephemeral range, so that client connections never compete with the listener for it; a new port
        // for each server, so that connections in TIME_WAIT from the previous one are no obstacle.
        while (true)
        {
            var port = Interlocked.Increment(ref _nextPort);
            if (port > 32000) _nextPort = port = 21000;
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }
    }

    private async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"{Kind.Name()} server: no '{prefix}' line within {timeout.TotalSeconds} s (exited: {_process.HasExited})");
        }
    }

    /// <summary>Forces a full collection in the server and returns its heap in use afterwards (bytes).</summary>
    public async Task<long> ForceGcAsync()
    {
        await _process.StandardInput.WriteLineAsync("gc");
        await _process.StandardInput.FlushAsync();
        var line = await WaitForLineAsync("HEAP ", TimeSpan.FromSeconds(60));
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1") Console.Write($"[{Kind.Name()}: {line}] ");
        return long.Parse(line.Split(' ')[1]);
    }

    /// <summary>The bytes the server allocated since it started (.NET servers only; null for the reference).</summary>
    public async Task<long?> AllocatedBytesAsync()
    {
        if (Kind == ServerKind.Reference) return null;
        await _process.StandardInput.WriteLineAsync("alloc");
        await _process.StandardInput.FlushAsync();
        var line = await WaitForLineAsync("ALLOC ", TimeSpan.FromSeconds(30));
        return long.Parse(line.AsSpan(6));
    }

    /// <summary>The server's GC counters as name/value pairs (.NET servers; see BenchServerCommands).</summary>
    public async Task<Dictionary<string, double>> StatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        var fields = (await WaitForLineAsync("STATS ", TimeSpan.FromSeconds(30))).Split(' ');
        var stats = new Dictionary<string, double>();
        for (var i = 1; i + 1 < fields.Length; i += 2) stats[fields[i]] = double.Parse(fields[i + 1], System.Globalization.CultureInfo.InvariantCulture);
        return stats;
    }

    public long RssBytes() => ProcStats.RssBytes(Pid);

    public double CpuSeconds() => ProcStats.CpuSeconds(Pid);

    public async ValueTask DisposeAsync()
    {
        lock (Live) Live.Remove(this);
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            Kill(this);
        }
        _process.Dispose();
    }

    private static void Kill(ServerProcess server)
    {
        try
        {
            if (!server._process.HasExited) server._process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Kills every server still running: on exit, Ctrl+C or the run's deadline.</summary>
    public static void KillAll()
    {
        ServerProcess[] live;
        lock (Live) live = [.. Live];
        foreach (var server in live) Kill(server);
        RedisProcess.KillAll();
    }
}
