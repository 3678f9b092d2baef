namespace SocketIo.AdminUi;

/// <summary>Options of <see cref="SocketIoAdminUiExtensions.Instrument(SocketIoServer, AdminUiOptions, Microsoft.Extensions.Logging.ILoggerFactory?)"/>, named after the npm package's.</summary>
public sealed class AdminUiOptions
{
    /// <summary>The admin namespace's default name, <c>/admin</c>.</summary>
    public const string DefaultNamespaceName = "/admin";

    /// <summary>The namespace the admin UI connects to. Default <see cref="DefaultNamespaceName"/>.</summary>
    public string NamespaceName { get; set; } = DefaultNamespaceName;

    /// <summary>
    /// The login the UI must present. Required unless <see cref="AllowAnonymous"/> is set, as the npm package requires
    /// <c>auth</c> to be given or explicitly <c>false</c>.
    /// </summary>
    public AdminUiBasicAuthentication? Auth { get; set; }

    /// <summary>Lets anyone who reaches the admin namespace in (the npm package's <c>auth: false</c>). Default false.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>When true, the UI can only watch: no emit, join, leave or disconnect commands. Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>What the UI is told. Default <see cref="AdminUiMode.Development"/>, as the npm package outside production.</summary>
    public AdminUiMode Mode { get; set; } = AdminUiMode.Development;

    /// <summary>
    /// This server's name in the UI. Default: the host name and the process id (<c>host#1234</c>), unique per process,
    /// so that several servers on one host show apart.
    /// </summary>
    public string? ServerId { get; set; }

    /// <summary>Where the sessions of logged-in UIs are kept. Default: in memory, for 24 hours.</summary>
    public IAdminUiSessionStore? SessionStore { get; set; }

    /// <summary>
    /// What the UI shows as a socket's data. Default: <see cref="SocketIoSocket.Data"/> itself. Set it when
    /// <c>Data</c> holds state that is not meant to be serialized (locks, services) or not to be shown (secrets).
    /// Whatever it returns is serialized with the server's <see cref="SocketIoOptions.JsonSerializerOptions"/>; a value
    /// that cannot be is shown as an empty object.
    /// </summary>
    public Func<SocketIoSocket, object?>? DataSelector { get; set; }

    /// <summary>How often statistics are sent. Default 2 seconds, what the UI expects.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(2);
}
