using System.Net;
using System.Text;
using System.Text.Json;

namespace EngineIo.Tests.Infrastructure;

/// <summary>A raw long-polling client: it sends and returns payloads exactly as they are on the wire.</summary>
internal sealed class PollingClient
{
    private readonly EngineTestHost _host;

    private PollingClient(EngineTestHost host, string sid, string handshakeBody)
    {
        _host = host;
        Sid = sid;
        HandshakeBody = handshakeBody;
    }

    public string Sid { get; }

    /// <summary>The whole body of the handshake response, starting with the open packet.</summary>
    public string HandshakeBody { get; }

    public string Path => _host.PollingPath(Sid);

    public SessionLog Log => _host.Handler.For(Sid);

    public EngineSession Session => Log.Session!;

    public static async Task<PollingClient> OpenAsync(EngineTestHost host)
    {
        using var response = await host.Http.GetAsync(host.PollingPath()).WaitAsync(Limits.Await);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
        body.Should().StartWith("0{");
        var open = body.Split('\x1e')[0];
        using var json = JsonDocument.Parse(open[1..]);
        return new PollingClient(host, json.RootElement.GetProperty("sid").GetString()!, body);
    }

    /// <summary>Starts a GET that waits for packets; the caller awaits it (bounded) when it wants the answer.</summary>
    public Task<HttpResponseMessage> StartGetAsync(HttpClient? client = null, CancellationToken cancellationToken = default) =>
        (client ?? _host.Http).GetAsync(Path, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>A GET: checks the 200 and returns the payload.</summary>
    public async Task<string> GetAsync()
    {
        using var response = await StartGetAsync().WaitAsync(Limits.Await);
        return await ReadPayloadAsync(response);
    }

    /// <summary>GETs until a payload that is not a lone noop arrives (noops release polls during an upgrade).</summary>
    public async Task<string> GetSkippingNoopsAsync()
    {
        while (true)
        {
            var payload = await GetAsync();
            if (payload != "6") return payload;
        }
    }

    public static async Task<string> ReadPayloadAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
    }

    /// <summary>A POST of a text payload: checks the 200 <c>ok</c>.</summary>
    public async Task PostAsync(string payload)
    {
        using var response = await PostRawAsync(new StringContent(payload, Encoding.UTF8, "text/plain"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await)).Should().Be("ok");
    }

    public Task<HttpResponseMessage> PostRawAsync(HttpContent content) => _host.Http.PostAsync(Path, content).WaitAsync(Limits.Await);

    /// <summary>Checks that the session still works end to end: a message goes in and its echo comes back.</summary>
    public async Task AssertStillEchoesAsync()
    {
        Session.IsOpen.Should().BeTrue();
        var marker = "still-alive-" + Guid.NewGuid().ToString("N");
        await PostAsync("4" + marker);
        (await GetSkippingNoopsAsync()).Should().Be("4" + marker);
        Log.IsClosed.Should().BeFalse();
    }
}
