using System.Net;
using System.Text.Json;

namespace EngineIo.Tests.Infrastructure;

/// <summary>Assertions on what the engine writes on the wire.</summary>
internal static class Wire
{
    /// <summary>Checks a protocol error answer: its status and its exact JSON body.</summary>
    public static async Task ShouldBeErrorAsync(this HttpResponseMessage response, HttpStatusCode status, int code, string message)
    {
        response.StatusCode.Should().Be(status);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Limits.Await);
        body.Should().Be($"{{\"code\":{code},\"message\":\"{message}\"}}");
    }

    /// <summary>Parses the JSON of an open packet (<c>0{…}</c>).</summary>
    public static JsonElement OpenPacketJson(string openPacket)
    {
        openPacket.Should().StartWith("0{");
        using var document = JsonDocument.Parse(openPacket[1..]);
        return document.RootElement.Clone();
    }
}
