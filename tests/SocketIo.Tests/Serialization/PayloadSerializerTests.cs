using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocketIo.Internal.Serialization;

namespace SocketIo.Tests.Serialization;

public sealed class PayloadSerializerTests
{
    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    [Fact]
    public void Arguments_are_written_as_an_array_with_binary_values_as_attachment_placeholders()
    {
        var serializer = new PayloadSerializer(WebOptions);

        var (json, attachments) = serializer.SerializeArray("ev", [1, "two", new byte[] { 3 }]);

        Text(json).Should().Be("[\"ev\",1,\"two\",{\"_placeholder\":true,\"num\":0}]");
        attachments.Should().ContainSingle().Which.ToArray().Should().Equal(3);
    }

    [Fact]
    public void Each_result_keeps_its_own_bytes_and_attachments_when_the_thread_serializes_again()
    {
        var serializer = new PayloadSerializer(WebOptions);

        var (firstJson, firstAttachments) = serializer.SerializeArray("first", [new byte[] { 1 }]);
        var (secondJson, secondAttachments) = serializer.SerializeArray("second", ["x"]);

        Text(firstJson).Should().Be("[\"first\",{\"_placeholder\":true,\"num\":0}]");
        firstAttachments.Should().ContainSingle();
        Text(secondJson).Should().Be("[\"second\",\"x\"]");
        secondAttachments.Should().BeEmpty();
    }

    [Fact]
    public void A_payload_written_into_the_pooled_writer_is_valid_until_returned_and_the_writer_is_reused_clean()
    {
        var serializer = new PayloadSerializer(WebOptions);

        var payload = serializer.WriteArray(null, [new byte[] { 7 }, "a"]);
        Text(payload.WrittenMemory.Span).Should().Be("[{\"_placeholder\":true,\"num\":0},\"a\"]");
        payload.Attachments.Should().ContainSingle();
        payload.Return();

        var next = serializer.WriteArray(null, ["b"]);
        Text(next.WrittenMemory.Span).Should().Be("[\"b\"]");
        next.Attachments.Should().BeEmpty();
        next.Return();
    }

    [Fact]
    public void A_payload_serialized_while_another_is_written_on_the_same_thread_leaves_the_outer_one_intact()
    {
        PayloadSerializer? serializer = null;
        serializer = new PayloadSerializer(WebOptions, new NestingSerializer(() => serializer!));

        var (json, attachments) = serializer.SerializeArray("outer", [new byte[] { 1 }, new Nest(), new byte[] { 2 }]);

        Text(json).Should().Be(
            "[\"outer\",{\"_placeholder\":true,\"num\":0},\"[\\\"inner\\\",{\\\"_placeholder\\\":true,\\\"num\\\":0}]\",{\"_placeholder\":true,\"num\":1}]");
        attachments.Select(a => a.ToArray()).Should().BeEquivalentTo([new byte[] { 1 }, new byte[] { 2 }], o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_large_payload_grows_the_buffer_and_the_next_small_one_is_written_from_the_start()
    {
        var serializer = new PayloadSerializer(WebOptions);
        var large = new string('x', 100_000);

        var (largeJson, _) = serializer.SerializeArray(null, [large]);
        var (smallJson, _) = serializer.SerializeArray(null, ["y"]);

        Text(largeJson).Should().Be("[\"" + large + "\"]");
        Text(smallJson).Should().Be("[\"y\"]");
    }

    [Fact]
    public void A_json_element_argument_is_written_as_it_is_unless_the_options_bring_a_converter_for_it()
    {
        var element = JsonDocument.Parse("{\"a\":[1,\"é\"]}").RootElement;
        var withConverter = new JsonSerializerOptions(WebOptions);
        withConverter.Converters.Add(new WrappingElementConverter());

        var (plain, _) = new PayloadSerializer(WebOptions).SerializeArray(null, [element]);
        var (converted, _) = new PayloadSerializer(withConverter).SerializeArray(null, [element]);

        Text(plain).Should().Be("[{\"a\":[1,\"é\"]}]");
        Text(converted).Should().Be("[{\"wrapped\":{\"a\":[1,\"é\"]}}]");
    }

    private sealed record Nest;

    /// <summary>Writes a <see cref="Nest"/> as the JSON text of another payload, serialized there and then.</summary>
    private sealed class NestingSerializer(Func<PayloadSerializer> payloads) : SocketIoPayloadSerializer
    {
        public override void Serialize(Utf8JsonWriter writer, object value)
        {
            if (value is byte[] bytes)
            {
                WriteBinary(writer, bytes);
                return;
            }
            if (value is not Nest)
            {
                JsonSerializer.Serialize(writer, value, value.GetType(), WebOptions);
                return;
            }
            var (inner, _) = payloads().SerializeArray("inner", [new byte[] { 9 }]);
            writer.WriteStringValue(Encoding.UTF8.GetString(inner));
        }

        public override object? Deserialize(JsonElement element, Type type) => element.Deserialize(type, WebOptions);
    }

    private sealed class WrappingElementConverter : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonElement.ParseValue(ref reader);

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("wrapped");
            value.WriteTo(writer);
            writer.WriteEndObject();
        }
    }
}
