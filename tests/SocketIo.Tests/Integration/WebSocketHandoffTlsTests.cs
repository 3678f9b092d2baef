using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketIo.Tests.Integration;

/// <summary>
/// The handoff <c>AddSocketIo</c> installs sits outside the TLS layer of an HTTPS endpoint: it sees no plain HTTP head
/// and steps aside, and <c>UseSocketIoWebSocketHandoff()</c> after <c>UseHttps()</c> hands off inside it.
/// </summary>
public sealed class WebSocketHandoffTlsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_websocket_over_tls_works_with_or_without_a_handoff_inside_the_tls_layer(bool handoffInside)
    {
        using var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.UseHttps(certificate);
            if (handoffInside) listen.UseSocketIoWebSocketHandoff();
        }));
        builder.Services.AddSocketIo();
        await using var app = builder.Build();
        app.MapSocketIo(io => io.OnConnection(socket => socket.On("echo", e => e.Ack?.Send(e.Args.ToArray()))));
        await app.StartAsync().WaitAsync(TestServer.Timeout);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var client = new ClientWebSocket();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var invoker = new HttpMessageInvoker(handler);
        await client.ConnectAsync(new Uri($"wss://127.0.0.1:{address.Port}/socket.io/?EIO=4&transport=websocket"), invoker, CancellationToken.None).WaitAsync(TestServer.Timeout);
        (await ReceiveAsync(client)).Should().StartWith("0{\"sid\":");
        await SendAsync(client, "40");
        (await ReceiveAsync(client)).Should().StartWith("40{\"sid\":");
        await SendAsync(client, "421[\"echo\",\"over tls\"]");
        (await ReceiveAsync(client)).Should().Be("431[\"over tls\"]");
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestServer.Timeout);
        await app.StopAsync().WaitAsync(TestServer.Timeout);
    }

    private static async Task SendAsync(ClientWebSocket client, string text) =>
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestServer.Timeout);

    private static async Task<string> ReceiveAsync(ClientWebSocket client)
    {
        var buffer = new byte[4096];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestServer.Timeout);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel wants a certificate whose private key it can use: a PKCS#12 round trip gives one on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
