namespace MarketplaceEvents.Configuration;

/// <summary>
/// The <c>AdminUi</c> configuration section: the Socket.IO Admin UI. The server is instrumented when a password hash
/// is configured; the UI's files are served at <see cref="Path"/> when <see cref="Folder"/> holds them.
/// </summary>
internal sealed class AdminUiSettings
{
    public const string Section = "AdminUi";

    /// <summary>The login's user name. Default: <c>admin</c>.</summary>
    public string Username { get; set; } = "admin";

    /// <summary>The bcrypt hash of the login's password (<c>$2a$</c>/<c>$2b$</c>/<c>$2y$</c>). Unset: no admin namespace.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>The admin namespace. Default: <c>/admin</c>.</summary>
    public string Namespace { get; set; } = "/admin";

    /// <summary>Watch only: no emit, join, leave or disconnect from the UI. Default: false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary><c>Development</c> (sockets, rooms and events) or <c>Production</c> (statistics only). Default: Development.</summary>
    public SocketIo.AdminUi.AdminUiMode Mode { get; set; } = SocketIo.AdminUi.AdminUiMode.Development;

    /// <summary>
    /// The UI's built files (<c>@socket.io/admin-ui/ui/dist</c>). Default: that folder of the repository's npm install,
    /// looked for from the working directory, then upward from the program's folder.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>Where the UI is served. Default: <c>/admin-ui</c>.</summary>
    public string Path { get; set; } = "/admin-ui";

    /// <summary>The folder to serve, or null when there is none.</summary>
    public string? ResolveFolder()
    {
        if (!string.IsNullOrEmpty(Folder)) return File.Exists(System.IO.Path.Combine(Folder, "index.html")) ? Folder : null;
        var relative = System.IO.Path.Combine("node_modules", "@socket.io", "admin-ui", "ui", "dist");
        if (File.Exists(System.IO.Path.Combine(relative, "index.html"))) return System.IO.Path.GetFullPath(relative);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(System.IO.Path.Combine(candidate, "index.html"))) return candidate;
        }
        return null;
    }
}
