using System.Text;
using System.Text.Json;

namespace SocketIo.Tests.Integration;

/// <summary>An Engine.IO v4 long-polling client over real HTTP: one GET or POST at a time, as the protocol has it.</summary>
internal sealed class PollingClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _url;

    private PollingClient(HttpClient http, string url, string sid)
    {
        _http = http;
        _url = url;
        Sid = sid;
    }

    public string Sid { get; }

    /// <summary>Opens a session (the handshake GET) and returns the client; the open packet has been read.</summary>
    public static async Task<PollingClient> ConnectAsync(TestServer server)
    {
        var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestServer.Timeout };
        var open = await http.GetStringAsync("/socket.io/?EIO=4&transport=polling");
        open.Should().StartWith("0{");
        using var json = JsonDocument.Parse(open[1..]);
        var sid = json.RootElement.GetProperty("sid").GetString()!;
        return new PollingClient(http, $"/socket.io/?EIO=4&transport=polling&sid={sid}", sid);
    }

    /// <summary>Sends packets in one POST.</summary>
    public async Task PostAsync(params string[] packets)
    {
        using var response = await _http.PostAsync(_url, new StringContent(string.Join('\x1e', packets), Encoding.UTF8, "text/plain"));
        (await response.Content.ReadAsStringAsync()).Should().Be("ok");
    }

    /// <summary>
    /// GETs until a payload brings something other than heartbeats, and returns its packets; pings are answered
    /// (as a real client does) and left out.
    /// </summary>
    public async Task<string[]> PollAsync()
    {
        while (true)
        {
            using var response = await _http.GetAsync(_url);
            response.EnsureSuccessStatusCode();
            var packets = (await response.Content.ReadAsStringAsync()).Split('\x1e');
            var rest = packets.Where(p => p != "2").ToArray();
            if (rest.Length < packets.Length) await PostAsync("3");
            if (rest.Length > 0) return rest;
        }
    }

    /// <summary>Joins the main namespace and returns the socket id.</summary>
    public async Task<string> JoinAsync()
    {
        await PostAsync("40");
        var reply = await PollAsync();
        reply[0].Should().StartWith("40{\"sid\":");
        using var json = JsonDocument.Parse(reply[0][2..]);
        return json.RootElement.GetProperty("sid").GetString()!;
    }

    public void Dispose() => _http.Dispose();
}
