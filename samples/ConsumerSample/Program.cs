// The smallest complete Socket.IO server on the packages: events, acknowledgements and rooms, with the
// application's payload types described by a source-generated JSON context, so that the same program runs with the
// JIT and as a native AOT executable (`dotnet publish -r linux-x64 -p:PublishAot=true`).
//
//   dotnet run -- --urls http://127.0.0.1:3000
//
// It prints "ConsumerSample listening on URL" once it listens (interop-tests/packages/consumer.test.mjs waits for
// that line), and stops on SIGTERM or Ctrl+C.
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SocketIo;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSocketIo(options =>
{
    // The application's own types first; the library knows strings, numbers and JSON documents itself.
    options.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default);
});

var app = builder.Build();
app.MapSocketIo(io =>
{
    io.OnConnection(socket =>
    {
        var name = socket.Handshake.Auth.TryGetProperty("name", out var value) ? value.GetString() ?? "anonymous" : "anonymous";
        socket.Emit("welcome", new Welcome(socket.Id, name));

        // An acknowledgement with the argument as the client sent it.
        socket.On<JsonElement>("echo", (payload, ack) => ack.Send(payload));

        socket.On<string>("join", (room, ack) =>
        {
            socket.Join(room!);
            socket.To(room!).Emit("joined", name, room);
            ack.Send(new RoomState(room!, [.. socket.Rooms.Order(StringComparer.Ordinal)]));
        });

        socket.On<ChatMessage>("say", message =>
            io.To(message!.Room).Emit("said", new ChatLine(name, message.Room, message.Text)));
    });
});

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        Console.WriteLine($"ConsumerSample listening on {address}");
});
app.Run();

/// <summary>Sent to each client when it connects.</summary>
internal sealed record Welcome(string Id, string Name);

/// <summary>What a client sends to a room.</summary>
internal sealed record ChatMessage(string Room, string Text);

/// <summary>What a room receives.</summary>
internal sealed record ChatLine(string From, string Room, string Text);

/// <summary>The answer to a join: the socket's rooms afterwards.</summary>
internal sealed record RoomState(string Joined, string[] Rooms);

/// <summary>JSON metadata for the payload types, generated at compile time (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Welcome))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(ChatLine))]
[JsonSerializable(typeof(RoomState))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
