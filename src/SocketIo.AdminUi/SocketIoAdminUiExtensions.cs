using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SocketIo.AdminUi;

/// <summary>Instrumenting a Socket.IO server for the admin UI.</summary>
public static class SocketIoAdminUiExtensions
{
    /// <summary>
    /// Instruments <paramref name="io"/> for the Socket.IO Admin UI (https://admin.socket.io, or the same UI hosted
    /// with <c>UseSocketIoAdminUi</c>), as the npm package's <c>instrument(io, options)</c>: creates the admin
    /// namespace with its login and starts the statistics. Call it once, when setting the server up.
    /// </summary>
    /// <exception cref="ArgumentException">Neither <see cref="AdminUiOptions.Auth"/> nor <see cref="AdminUiOptions.AllowAnonymous"/> is set.</exception>
    public static AdminUiInstrumentation Instrument(this SocketIoServer io, AdminUiOptions options) => io.Instrument(options, loggerFactory: null);

    /// <summary>Same as <see cref="Instrument(SocketIoServer, AdminUiOptions)"/>, logging through <paramref name="loggerFactory"/>.</summary>
    public static AdminUiInstrumentation Instrument(this SocketIoServer io, AdminUiOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SocketIo.AdminUi");
        return new AdminUiInstrumentation(io, options, logger);
    }

    /// <summary>Same as <see cref="Instrument(SocketIoServer, AdminUiOptions)"/>, with options set by <paramref name="configure"/>.</summary>
    public static AdminUiInstrumentation Instrument(this SocketIoServer io, Action<AdminUiOptions> configure) => io.Instrument(configure, loggerFactory: null);

    /// <summary>Same as <see cref="Instrument(SocketIoServer, AdminUiOptions, ILoggerFactory?)"/>, with options set by <paramref name="configure"/>.</summary>
    public static AdminUiInstrumentation Instrument(this SocketIoServer io, Action<AdminUiOptions> configure, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new AdminUiOptions();
        configure(options);
        return io.Instrument(options, loggerFactory);
    }
}
