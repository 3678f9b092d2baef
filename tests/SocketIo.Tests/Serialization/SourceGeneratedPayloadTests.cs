using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SocketIo.Internal.Serialization;

namespace SocketIo.Tests.Serialization;

/// <summary>
/// Payloads of an application without reflection-based JSON (native AOT, trimmed): its options name only its own
/// source-generated context, and the library's context covers primitives, binary and JSON documents.
/// </summary>
public sealed class SourceGeneratedPayloadTests
{
    private static readonly JsonSerializerOptions SourceGeneratedOnly = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = TestPayloadContext.Default,
    };

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    [Fact]
    public void Application_types_come_from_its_context_and_primitives_binary_and_documents_from_the_library()
    {
        var serializer = new PayloadSerializer(SourceGeneratedOnly);
        var node = new JsonObject { ["k"] = new JsonArray(1, "v") };

        var (json, attachments) = serializer.SerializeArray("ev", [new Point(1, 2), "s", 3, 4.5, true, new byte[] { 7 }, node]);

        Text(json).Should().Be("[\"ev\",{\"x\":1,\"y\":2},\"s\",3,4.5,true,{\"_placeholder\":true,\"num\":0},{\"k\":[1,\"v\"]}]");
        attachments.Should().ContainSingle().Which.ToArray().Should().Equal(7);
    }

    [Fact]
    public void Arguments_are_read_into_application_types_and_binary_from_attachments()
    {
        var serializer = new PayloadSerializer(SourceGeneratedOnly);
        var attachments = new ReadOnlyMemory<byte>[] { new byte[] { 5, 6 } };
        var args = SocketIoArguments.Parse("[{\"x\":3,\"y\":4},{\"_placeholder\":true,\"num\":0},\"t\"]"u8.ToArray(), 0, attachments, serializer);

        args.Get<Point>(0).Should().Be(new Point(3, 4));
        args.Get<byte[]>(1).Should().Equal(5, 6);
        args.Get<string>(2).Should().Be("t");
    }

    [Fact]
    public void Forwarded_arguments_with_binary_are_emitted_again_as_attachments()
    {
        var serializer = new PayloadSerializer(SourceGeneratedOnly);
        var attachments = new ReadOnlyMemory<byte>[] { new byte[] { 1, 2, 3 } };
        var args = SocketIoArguments.Parse("[{\"file\":{\"_placeholder\":true,\"num\":0}}]"u8.ToArray(), 0, attachments, serializer);

        var (json, forwarded) = serializer.SerializeArray("again", args.ToArray());

        Text(json).Should().Be("[\"again\",{\"file\":{\"_placeholder\":true,\"num\":0}}]");
        forwarded.Should().ContainSingle().Which.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void A_type_no_resolver_knows_fails_with_a_message_that_says_where_to_declare_it()
    {
        var serializer = new PayloadSerializer(SourceGeneratedOnly);

        var act = () => serializer.SerializeArray("ev", [new Undeclared("?")]);

        act.Should().Throw<NotSupportedException>()
            .WithMessage("*Undeclared*JsonSerializerContext*SocketIoOptions.JsonSerializerOptions.TypeInfoResolverChain*");
    }

    [Fact]
    public void The_default_options_keep_reflection_where_it_is_on_and_take_an_application_context_first()
    {
        var options = new SocketIoOptions();
        options.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, TestPayloadContext.Default);
        var serializer = new PayloadSerializer(options.JsonSerializerOptions);

        // The anonymous type needs reflection (on in this test process); the record takes the context's metadata.
        var (json, _) = serializer.SerializeArray(null, [new { Anonymous = 1 }, new Point(5, 6)]);

        Text(json).Should().Be("[{\"anonymous\":1},{\"x\":5,\"y\":6}]");
    }

    internal sealed record Point(int X, int Y);

    internal sealed record Undeclared(string Name);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SourceGeneratedPayloadTests.Point))]
internal sealed partial class TestPayloadContext : JsonSerializerContext;
