namespace Bench;

/// <summary>The servers under test.</summary>
internal enum ServerKind
{
    /// <summary>Ours: bench/DotnetServer on the SocketIo library.</summary>
    Ours,

    /// <summary>The reference: bench/node-server.mjs on npm socket.io.</summary>
    Reference,

    /// <summary>The control: bench/ControlServer, bare Kestrel WebSockets writing the same frames.</summary>
    Control,
}

internal static class ServerKindNames
{
    public static string Name(this ServerKind kind) => kind switch
    {
        ServerKind.Ours => "ours",
        ServerKind.Reference => "reference",
        _ => "control",
    };

    public static ServerKind Parse(string name) => name switch
    {
        "ours" => ServerKind.Ours,
        "reference" or "ref" or "node" => ServerKind.Reference,
        "control" => ServerKind.Control,
        _ => throw new ArgumentException($"unknown server '{name}' (ours, reference, control)"),
    };
}
