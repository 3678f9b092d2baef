namespace Bench;

/// <summary>The servers under test.</summary>
internal enum ServerKind
{
    /// <summary>Ours: bench/DotnetServer on the SocketIo library, the default configuration (AddSocketIo + MapSocketIo).</summary>
    Ours,

    /// <summary>Ours with <c>UseSocketIoDirectWebSockets()</c> on its endpoint.</summary>
    OursDirect,

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
        ServerKind.OursDirect => "direct",
        ServerKind.Reference => "reference",
        _ => "control",
    };

    public static ServerKind Parse(string name) => name switch
    {
        "ours" => ServerKind.Ours,
        "direct" or "ours-direct" => ServerKind.OursDirect,
        "reference" or "ref" or "node" => ServerKind.Reference,
        "control" => ServerKind.Control,
        _ => throw new ArgumentException($"unknown server '{name}' (ours, direct, reference, control)"),
    };
}
