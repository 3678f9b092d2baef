using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using SocketIo.NewtonsoftJson;

namespace SocketIo.Tests.Integration;

/// <summary>The Newtonsoft.Json payload option (<c>options.UseNewtonsoftJson()</c>), over a real connection.</summary>
public sealed class NewtonsoftJsonTests
{
    // A model written for Newtonsoft: its attributes must be honoured, which System.Text.Json would ignore.
    private sealed class Order
    {
        [JsonProperty("order_id")] public int Id { get; set; }

        [JsonProperty("note", NullValueHandling = NullValueHandling.Ignore)] public string? Note { get; set; }

        [JsonIgnore] public string Secret { get; set; } = "hidden";

        public byte[]? Receipt { get; set; }

        public decimal Total { get; set; }
    }

    private static Task<TestServer> StartAsync(Action<SocketIoServer> configure) =>
        TestServer.StartAsync(configure, options => options.UseNewtonsoftJson(new JsonSerializerSettings
        {
            ContractResolver = new CamelCasePropertyNamesContractResolver(),
        }));

    [Fact]
    public async Task Emitted_models_follow_newtonsoft_attributes_and_settings_and_bytes_stay_attachments()
    {
        await using var server = await StartAsync(io => io.OnConnection(s =>
            s.Emit("order", new Order { Id = 7, Receipt = [1, 2], Total = 12.5m, Secret = "x" }, "plain", 3)));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        (await client.ReceiveTextAsync()).Should().Be(
            "451-[\"order\",{\"order_id\":7,\"receipt\":{\"_placeholder\":true,\"num\":0},\"total\":12.5},\"plain\",3]");
        (await client.ReceiveBinaryAsync()).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Incoming_arguments_bind_to_newtonsoft_models_with_their_attachments()
    {
        var received = new TaskCompletionSource<Order?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(io => io.OnConnection(s => s.On<Order>("order", o => received.TrySetResult(o))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("451-[\"order\",{\"order_id\":9,\"note\":\"n\",\"receipt\":{\"_placeholder\":true,\"num\":0},\"total\":0.1}]");
        await client.SendBinaryAsync([0xAB]);

        var order = await received.Task.WaitAsync(TestServer.Timeout);
        order!.Id.Should().Be(9);
        order.Note.Should().Be("n");
        order.Receipt.Should().Equal(0xAB);
        order.Total.Should().Be(0.1m);
        order.Secret.Should().Be("hidden");
    }

    [Fact]
    public async Task Acks_and_forwarded_arguments_still_work()
    {
        await using var server = await StartAsync(io => io.OnConnection(s =>
            s.On<Order>("save", (Order? o, SocketIoAck ack) => ack.Send(new { saved = o!.Id, note = o.Note }))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("421[\"save\",{\"order_id\":1}]");
        (await client.ReceiveTextAsync()).Should().Be("431[{\"saved\":1,\"note\":null}]");

        // TestServer's "echo" forwards SocketIoArguments.ToArray(): JSON documents, written by System.Text.Json.
        await client.SendAsync("451-1[\"echo\",{\"_placeholder\":true,\"num\":0},{\"x\":[1,\"two\"]}]");
        await client.SendBinaryAsync([5]);
        (await client.ReceiveTextAsync()).Should().Be("461-1[{\"_placeholder\":true,\"num\":0},{\"x\":[1,\"two\"]}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(5);
    }

    [Fact]
    public async Task A_refusal_carries_its_data_serialized_by_newtonsoft()
    {
        await using var server = await StartAsync(io => io.Use((_, _) =>
            throw new ConnectionRefusedException("no", new Order { Id = 4, Note = "why" })));
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40");
        (await client.ReceiveTextAsync()).Should().Be("44{\"message\":\"no\",\"data\":{\"order_id\":4,\"note\":\"why\",\"receipt\":null,\"total\":0.0}}");
    }
}
