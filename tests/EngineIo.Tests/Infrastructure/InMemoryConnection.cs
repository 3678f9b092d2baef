using System.IO.Pipelines;

namespace EngineIo.Tests.Infrastructure;

/// <summary>A connection's transport as two in-memory pipes: what the client sends, and what the server writes.</summary>
internal sealed class InMemoryConnection : IDuplexPipe
{
    /// <summary>The client's bytes: the test writes them, the server reads them.</summary>
    public Pipe Incoming { get; } = new();

    /// <summary>The server's bytes: the server writes them, the test reads them.</summary>
    public Pipe Outgoing { get; } = new();

    public PipeReader Input => Incoming.Reader;

    public PipeWriter Output => Outgoing.Writer;
}
