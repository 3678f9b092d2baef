using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace SocketIo.AdminUi;

/// <summary>Hosting the admin UI's built files (the npm package's <c>ui/dist</c>) on the application's own origin.</summary>
public static class AdminUiApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the admin UI from <paramref name="folder"/> (a copy of <c>@socket.io/admin-ui/ui/dist</c>) under
    /// <paramref name="path"/>, such as <c>/admin-ui</c>. The UI then talks to this server from the same origin: no
    /// CORS settings are needed. In its login form, enter this server's URL (such as <c>http://localhost:3000</c>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder has no <c>index.html</c>.</exception>
    public static IApplicationBuilder UseSocketIoAdminUi(this IApplicationBuilder app, PathString path, string folder)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(root, "index.html")))
            throw new DirectoryNotFoundException($"No admin UI in '{root}': expected the files of @socket.io/admin-ui/ui/dist (index.html, js/, css/).");
        var files = new PhysicalFileProvider(root);
        // The UI's index.html links its scripts relatively ("js/app.js"): /admin-ui must become /admin-ui/.
        app.Use((context, next) =>
        {
            if (context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect(context.Request.PathBase + path + "/" + context.Request.QueryString);
                return Task.CompletedTask;
            }
            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = path, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { RequestPath = path, FileProvider = files });
        return app;
    }
}
