using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace SocketIo.Tests.Protocol.MsgPack;

/// <summary>
/// Runs vectors/generate-vectors.mjs once per test class and loads what it writes: msgpack bytes
/// produced and decoded by the npm reference (notepack.io 2.2.0, socket.io-msgpack-parser 3.0.2).
/// Fails loudly, never skips, when Node or the npm packages are missing: a vector suite that passes
/// without its vectors would prove nothing.
/// </summary>
public sealed class NotepackVectors
{
    private static readonly TimeSpan GeneratorTimeout = TimeSpan.FromMinutes(2);

    public NotepackVectors()
    {
        string root = FindRepositoryRoot();
        foreach (string package in new[] { "notepack.io", "socket.io-msgpack-parser" })
        {
            if (!File.Exists(Path.Combine(root, "node_modules", package, "package.json")))
            {
                throw new InvalidOperationException(
                    $"The npm package '{package}' is not installed under {Path.Combine(root, "node_modules")}. " +
                    $"The msgpack interop vectors are generated with it: run `npm ci` in {root} first.");
            }
        }

        string script = Path.Combine(root, "tests", "SocketIo.Tests", "Protocol", "MsgPack", "vectors", "generate-vectors.mjs");
        string output = Path.Combine(Path.GetTempPath(), $"socketio-msgpack-vectors-{Guid.NewGuid():N}.json");
        try
        {
            RunNode(root, script, output);
            Vectors = JsonSerializer.Deserialize<VectorFile>(File.ReadAllBytes(output), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new InvalidOperationException("The vector file is empty.");
        }
        finally
        {
            File.Delete(output);
        }
    }

    public VectorFile Vectors { get; }

    private static void RunNode(string root, string script, string output)
    {
        ProcessStartInfo start = new("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(output);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("`node` did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"`node` is needed to generate the msgpack interop vectors but could not be started: {e.Message}", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(GeneratorTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{script} did not finish within {GeneratorTimeout}.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Marketplace.sln above {AppContext.BaseDirectory}: cannot find the repository root.");
    }

    public sealed record VectorFile(ValueVector[] Values, PacketVector[] Packets, RejectedVector[] Rejected, StricterVector[] Stricter);

    public sealed record ValueVector(string Name, string Source, string Hex, string Json, string[] Attachments, string ReencodeHex, bool KeyOrderDiffers)
    {
        public override string ToString() => Name;
    }

    public sealed record PacketVector(string Name, string Source, string Hex, int Type, string Nsp, string? Id, string? Data, string[] Attachments, string ReencodeHex)
    {
        public override string ToString() => Name;
    }

    public sealed record RejectedVector(string Name, string Hex, string NpmError);

    public sealed record StricterVector(string Name, string Hex, string Reason);
}
