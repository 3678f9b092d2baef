using System.Text;

namespace SocketIo.Tests.Integration;

/// <summary>
/// Hostile or broken packets: the offending connection is closed (as the reference does on a decode error or a
/// protocol violation) or the packet is ignored, nothing escapes, and another connected client is unaffected.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private RawClient _bystander = null!;
    private RawClient _victim = null!;
    private string _victimSid = null!;
    private readonly List<Exception> _unobserved = [];

    public async Task InitializeAsync()
    {
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        _server = await TestServer.StartAsync();
        _bystander = await RawClient.ConnectAsync(_server);
        await _bystander.JoinAsync();
        _victim = await RawClient.ConnectAsync(_server);
        _victimSid = await _victim.JoinAsync();
    }

    public async Task DisposeAsync()
    {
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        await _victim.DisposeAsync();
        await _bystander.DisposeAsync();
        await _server.DisposeAsync();
    }

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        // Only failures thrown by the server: the event is process-wide, and other tests (and the client package)
        // leave their own faulted tasks behind.
        var fromServer = e.Exception.InnerExceptions.Any(ex => ex.StackTrace is { } trace
            && (trace.Contains(" SocketIo.", StringComparison.Ordinal) || trace.Contains(" EngineIo.", StringComparison.Ordinal))
            && !trace.Contains(" SocketIo.Tests.", StringComparison.Ordinal));
        if (!fromServer) return;
        lock (_unobserved) _unobserved.Add(e.Exception);
    }

    private async Task VictimIsClosedAsync()
    {
        await _victim.WaitClosedAsync();
        (await _server.DisconnectReasonAsync(_victimSid)).Should().BeOneOf(DisconnectReason.ForcedClose, DisconnectReason.ForcedServerClose, DisconnectReason.ParseError);
        await BystanderStillWorksAsync();
    }

    private async Task VictimStillWorksAsync()
    {
        await _victim.SendAsync("421[\"echo\",\"ok\"]");
        (await _victim.ReceiveTextAsync()).Should().Be("431[\"ok\"]");
        await BystanderStillWorksAsync();
    }

    private async Task BystanderStillWorksAsync()
    {
        await _bystander.SendAsync("422[\"echo\",\"fine\"]");
        (await _bystander.ReceiveTextAsync()).Should().Be("432[\"fine\"]");
        await _server.AssertAliveAsync();
        lock (_unobserved) _unobserved.Should().BeEmpty();
    }

    [Fact]
    public async Task A_placeholder_with_a_non_numeric_index_closes_the_connection()
    {
        await _victim.SendAsync("451-[\"x\",{\"_placeholder\":true,\"num\":\"splice\"}]");
        await _victim.SendBinaryAsync([1, 2, 3]);

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task A_placeholder_index_out_of_range_closes_the_connection()
    {
        await _victim.SendAsync("451-[\"x\",{\"_placeholder\":true,\"num\":5}]");
        await _victim.SendBinaryAsync([1]);

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_event_whose_name_is_an_object_closes_the_connection()
    {
        await _victim.SendAsync("42[{\"toString\":\"foo\"}]");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_event_named_error_reaches_its_handler_and_breaks_nothing()
    {
        var handled = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Socket(_victimSid).On<string>("error", s => handled.TrySetResult(s));

        await _victim.SendAsync("42[\"error\",\"boom\"]");

        (await handled.Task.WaitAsync(TestServer.Timeout)).Should().Be("boom");
        await VictimStillWorksAsync();
    }

    [Fact]
    public async Task A_binary_event_without_attachment_count_closes_the_connection()
    {
        await _victim.SendAsync("45");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task A_binary_event_announcing_zero_attachments_closes_the_connection()
    {
        await _victim.SendAsync("450-[\"echo\",1]");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task A_binary_event_announcing_too_many_attachments_closes_the_connection()
    {
        await _victim.SendAsync("4511-[\"x\"]");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task A_binary_frame_without_a_header_closes_the_connection()
    {
        await _victim.SendBinaryAsync([1, 2, 3]);

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_event_whose_payload_is_an_object_closes_the_connection()
    {
        await _victim.SendAsync("42{}");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_event_with_garbage_before_its_payload_closes_the_connection()
    {
        await _victim.SendAsync("42abc[\"echo\",1]");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_ack_id_that_overflows_closes_the_connection()
    {
        await _victim.SendAsync("4399999999999999999999[]");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_ack_with_an_unknown_id_is_ignored()
    {
        await _victim.SendAsync("43123[\"nobody asked\"]");
        await _victim.SendAsync("461-124[{\"_placeholder\":true,\"num\":0}]");
        await _victim.SendBinaryAsync([1]);

        await VictimStillWorksAsync();
    }

    [Fact]
    public async Task A_second_connect_for_the_same_namespace_closes_the_connection()
    {
        await _victim.SendAsync("40");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task An_event_before_connect_closes_the_connection()
    {
        await using var stranger = await RawClient.ConnectAsync(_server);

        await stranger.SendAsync("42[\"echo\",1]");

        await stranger.WaitClosedAsync();
        await BystanderStillWorksAsync();
    }

    [Fact]
    public async Task An_event_for_a_namespace_not_joined_closes_the_connection()
    {
        await _victim.SendAsync("42/elsewhere,[\"echo\",1]");

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task Deeply_nested_json_closes_the_connection_without_overflowing_anything()
    {
        var json = new StringBuilder("42[\"echo\",");
        json.Append('[', 1000).Append(']', 1000).Append(']');

        await _victim.SendAsync(json.ToString());

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task Nesting_at_a_reasonable_depth_is_accepted()
    {
        var json = new StringBuilder("421[\"echo\",");
        json.Append('[', 20).Append(']', 20).Append(']');

        await _victim.SendAsync(json.ToString());

        (await _victim.ReceiveTextAsync()).Should().Be("431[" + new string('[', 20) + new string(']', 20) + "]");
    }

    [Theory]
    [InlineData("4")]
    [InlineData("49[]")]
    [InlineData("4x")]
    [InlineData("44{\"message\":\"client error\"}")]
    [InlineData("42[]")]
    [InlineData("42[\"echo\"")]
    [InlineData("42")]
    public async Task Other_malformed_packets_close_the_connection(string packet)
    {
        await _victim.SendAsync(packet);

        await VictimIsClosedAsync();
    }

    [Fact]
    public async Task A_binary_frame_too_many_after_a_complete_packet_closes_the_connection()
    {
        await _victim.SendAsync("451-[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        await _victim.SendBinaryAsync([1]);
        await _victim.SendBinaryAsync([2]);

        await VictimIsClosedAsync();
    }
}
