using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MarketplaceEvents.Tests.Postgres;

/// <summary>
/// One private PostgreSQL cluster for the whole test run, started on first use: <c>initdb</c> in a fresh temporary
/// folder (as the <c>postgres</c> user when the tests run as root, since initdb refuses root), the server on a free
/// loopback port with its socket in that folder and fsync off (nothing here must survive a crash). A small shell
/// script owns the server and waits on its stdin: when the test process closes it, or dies, the script stops the
/// server and deletes the folder, so no cluster outlives the run. Each test gets its own schema
/// (<see cref="CreateSchemaAsync"/>): cheaper than a database, and as isolated for the stores.
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const string Script =
        """
        bin=$1; dir=$2; port=$3
        if ! "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
        fi
        "$bin/postgres" -D "$dir/data" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir" \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 >"$dir/server.log" 2>&1 &
        pid=$!
        echo started
        # Until the test process closes stdin (when it is done, or dies): then a fast shutdown, and the folder goes.
        cat >/dev/null
        kill -INT "$pid" 2>/dev/null
        wait "$pid"
        rm -rf "$dir"
        """;

    private readonly Process _owner;

    private PostgresServer(Process owner, int port)
    {
        _owner = owner;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The folder of the PostgreSQL programs (<c>initdb</c>, <c>postgres</c>), or null when not installed.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    /// <summary>Why PostgreSQL tests are skipped here, or null when they run (always under <c>CI=true</c>, where a missing PostgreSQL fails them).</summary>
    public static string? SkipReason =>
        BinDirectory is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH); scripts/test.sh installs it."
            : null;

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>A connection string to the <c>postgres</c> database, optionally with a search path.</summary>
    public string ConnectionString(string? schema = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        SearchPath = schema,
        Timeout = 15,
    }.ToString();

    /// <summary>Creates an empty schema and returns a connection string whose search path is that schema.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await command.ExecuteNonQueryAsync();
        // Not dropped after the test: the whole cluster is deleted at the end of the run.
        return ConnectionString(schema);
    }

    private static string? FindBinDirectory()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        // Debian keeps each major version's programs apart; take the newest.
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "postgres")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault()
            : null;
        if (debian is not null) return debian;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")));
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL is required under CI=true but no initdb was found.");
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", "postgres:postgres", folder);

        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(asRoot ? "runuser" : "sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot) foreach (var arg in new[] { "-u", "postgres", "--", "sh" }) start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "-c", Script, "sh", bin, folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        var owner = Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL script.");
        var server = new PostgresServer(owner, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();

        using var timeout = new CancellationTokenSource(StartTimeout);
        var started = await owner.StandardOutput.ReadLineAsync(timeout.Token);
        if (started != "started")
        {
            throw new InvalidOperationException($"PostgreSQL did not start: {await owner.StandardError.ReadToEndAsync(timeout.Token)}");
        }
        // The server accepts connections once recovery of the fresh cluster is done: a fraction of a second.
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString() + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(timeout.Token);
                return server;
            }
            catch (NpgsqlException) when (!timeout.IsCancellationRequested)
            {
                // Not listening yet: try again shortly (bounded by the start timeout).
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    /// <summary>Closes the script's stdin: it stops the server and removes the folder; waited for briefly.</summary>
    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            _owner.StandardInput.Close();
            _owner.WaitForExit(TimeSpan.FromSeconds(15));
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing left to stop.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with {process.ExitCode}.");
    }
}
