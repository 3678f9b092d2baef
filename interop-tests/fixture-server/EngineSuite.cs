using EngineIo;

namespace FixtureServer;

/// <summary>The configuration the engine.io-protocol test suite expects (its README, "Test suite").</summary>
internal static class EngineSuite
{
    public static void Configure(EngineIoOptions options)
    {
        options.Path = "/engine.io";
        options.PingInterval = TimeSpan.FromMilliseconds(300);
        options.PingTimeout = TimeSpan.FromMilliseconds(200);
        options.MaxHttpBufferSize = 1_000_000;
        options.Cors = new EngineIoCorsOptions { AllowedOrigins = { "*" } };
    }
}

/// <summary>Sends every message back to its sender, text as text and binary as binary.</summary>
internal sealed class EchoHandler : IEngineIoHandler
{
    public void OnOpened(EngineSession session)
    {
    }

    public ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8)
    {
        session.Send(EngineMessage.Text(utf8.Span));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data)
    {
        session.Send(EngineMessage.Binary(data.ToArray()));
        return ValueTask.CompletedTask;
    }

    public void OnClosed(EngineSession session, EngineCloseReason reason, string? description)
    {
    }
}
