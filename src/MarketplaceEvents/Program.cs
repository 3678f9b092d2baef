using SocketIo;

// The marketplace real-time service. Its event contract, authentication, storage and REST API are issue 5's work;
// for now it hosts the Socket.IO server on its embedded defaults so that the main command runs end to end.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
    builder.WebHost.UseUrls("http://localhost:3000");

builder.Services.AddSocketIo();

var app = builder.Build();
var startedAt = DateTimeOffset.UtcNow;
var io = app.MapSocketIo(server => server.OnConnection(socket =>
    socket.On("health.check", e => e.Ack?.Send(new { status = "ok", timestamp = DateTimeOffset.UtcNow.ToString("O") }))));

app.MapGet("/health", () => Results.Ok(new
{
    status = "ok",
    active_connections = io.Engine.ClientsCount,
    uptime_seconds = (long)(DateTimeOffset.UtcNow - startedAt).TotalSeconds,
}));

app.Run();
