using Microsoft.Extensions.Hosting;

namespace SocketIo.Internal;

/// <summary>
/// Closes the server gracefully when the host stops, within the host's shutdown timeout: the host cancels the token
/// of <see cref="StopAsync"/> when that timeout passes, and the connections still open are then closed at once.
/// Registered after the web server's own hosted service, it is stopped before it, while Kestrel still serves the
/// polls that come for their close packet.
/// </summary>
internal sealed class SocketIoShutdownService(SocketIoServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => server.CloseAsync(cancellationToken);
}
