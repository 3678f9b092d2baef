using System.Net;
using System.Text.RegularExpressions;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>
/// The service's operations endpoints: Prometheus metrics at /metrics and the liveness and readiness checks. Alone in
/// its collection: OpenTelemetry listens to every meter of a name in the process, so another test class's service
/// running at the same time would show up in this one's /metrics.
/// </summary>
[Collection(OperationsCollection.Name)]
public sealed class OperationsTests(OperationsHostFixture fixture) : IClassFixture<OperationsHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    [Fact]
    public async Task MetricsServesTheSocketIoAndEngineInstrumentsAsPrometheusText()
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token("metrics-user", "user")));
        await using var _ = client;
        reply.Should().StartWith("40{\"sid\":");

        using var response = await _host.Http.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var text = await response.Content.ReadAsStringAsync();

        // One socket in the main namespace and one WebSocket session, as gauges; counters end in _total.
        Value(text, "socketio_sockets", "socketio_namespace=\"/\"").Should().Be(1);
        Value(text, "engineio_connections", "engineio_transport=\"websocket\"").Should().Be(1);
        Value(text, "engineio_handshakes_total", "engineio_transport=\"websocket\"").Should().BeGreaterThanOrEqualTo(1);
        Value(text, "socketio_packets_received_total", null).Should().BeGreaterThanOrEqualTo(1);
        Value(text, "socketio_bytes_sent_bytes_total", null).Should().BeGreaterThan(0);
        text.Should().Contain("# TYPE socketio_sockets gauge").And.Contain("# TYPE socketio_packets_sent_total counter");
    }

    [Fact]
    public async Task LivenessAndReadinessAnswerHealthy()
    {
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var response = await _host.Http.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            (await response.Content.ReadAsStringAsync()).Should().Be("Healthy", path);
        }
    }

    /// <summary>The value of the sample of <paramref name="metric"/> whose labels include <paramref name="label"/>.</summary>
    private static double Value(string text, string metric, string? label)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = Regex.Match(line, "^" + Regex.Escape(metric) + @"(\{(?<labels>[^}]*)\})? (?<value>\S+)");
            if (!match.Success || (label is not null && !match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))) continue;
            return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new Xunit.Sdk.XunitException($"No sample of {metric} with {label} in:\n{text}");
    }
}

public sealed class OperationsHostFixture : HostFixture;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OperationsCollection
{
    public const string Name = "Operations (alone: metrics are process-wide)";
}
