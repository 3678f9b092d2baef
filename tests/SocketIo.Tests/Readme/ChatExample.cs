using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIo;


namespace ChatExample;

public record ChatMessage(string Room, string Text);

public static class ChatServer
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSocketIo(options =>
        {
            options.PingInterval = TimeSpan.FromSeconds(25);
            options.Cors = new EngineIo.EngineIoCorsOptions { AllowedOrigins = { "http://localhost:5173" } };
        });

        var app = builder.Build();
        app.MapSocketIo(io =>
        {
            // Refuse clients without a name; the client's connect_error gets the message and data.
            io.Use((socket, cancellationToken) =>
            {
                if (!socket.Handshake.Auth.TryGetProperty("name", out _))
                    throw new ConnectionRefusedException("name required", new { code = "NO_NAME" });
                return ValueTask.CompletedTask;
            });

            io.OnConnection(socket =>
            {
                var name = socket.Handshake.Auth.GetProperty("name").GetString();

                socket.On<string>("join", (room, ack) =>
                {
                    socket.Join(room!);
                    socket.To(room!).Emit("joined", name);
                    ack.Send(new { ok = true });
                });

                socket.On<ChatMessage>("message", message =>
                    io.To(message!.Room).Emit("message", new { from = name, text = message.Text }));

                socket.Disconnected += (s, reason) =>
                    io.Emit("left", name, reason.ToProtocolString());
            });
        });
        return app;
    }
}
