using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// The default payload serializer: System.Text.Json, with byte arrays as attachments. Every value goes through the
/// <see cref="JsonTypeInfo"/> of its runtime type that the options' resolvers give, never through the serializer's
/// reflection entry points: with reflection off (native AOT, trimming) the application's source-generated contexts
/// in <see cref="SocketIoOptions.JsonSerializerOptions"/> describe its types, and the library's own context
/// describes the rest.
/// </summary>
internal sealed class SystemTextJsonPayloadSerializer : SocketIoPayloadSerializer
{
    public SystemTextJsonPayloadSerializer(JsonSerializerOptions userOptions)
    {
        var options = new JsonSerializerOptions(userOptions);
        // Like JSON.stringify, keep non-ASCII text as is: the payload is never embedded in HTML.
        options.Encoder ??= JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        BinaryConverters.AddTo(options);
        options.TypeInfoResolver ??= DefaultResolver();
        options.TypeInfoResolverChain.Add(SocketIoJsonContext.Default);
        options.MakeReadOnly();
        Options = options;
    }

    public JsonSerializerOptions Options { get; }

    public override void Serialize(Utf8JsonWriter writer, object value) => JsonSerializer.Serialize(writer, value, TypeInfo(value.GetType()));

    public override object? Deserialize(JsonElement element, Type type) => element.Deserialize(TypeInfo(type));

    private JsonTypeInfo TypeInfo(Type type) =>
        Options.TryGetTypeInfo(type, out var typeInfo)
            ? typeInfo
            : throw new NotSupportedException(
                $"No JSON metadata for type '{type}'. Without reflection-based serialization (native AOT, trimmed " +
                "applications), declare the type in a JsonSerializerContext of the application and add it to " +
                "SocketIoOptions.JsonSerializerOptions.TypeInfoResolverChain.");

    /// <summary>
    /// The resolver of options that name none: System.Text.Json's reflection one where reflection is on, none
    /// otherwise (the feature switch is off in native AOT and trimmed applications, which then rely on their
    /// source-generated contexts). The same choice ASP.NET Core makes for its own JSON options.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "The reflection resolver is only made when JsonSerializer.IsReflectionEnabledByDefault is true, which trimmed and AOT applications turn off.")]
    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode",
        Justification = "The reflection resolver is only made when JsonSerializer.IsReflectionEnabledByDefault is true, which AOT applications turn off.")]
    internal static IJsonTypeInfoResolver DefaultResolver() =>
        JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : JsonTypeInfoResolver.Combine();
}
