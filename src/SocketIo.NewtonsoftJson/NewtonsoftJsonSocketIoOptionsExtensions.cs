using System.Diagnostics.CodeAnalysis;
using Newtonsoft.Json;

namespace SocketIo.NewtonsoftJson;

/// <summary>Switches a Socket.IO server's payloads to Newtonsoft.Json.</summary>
public static class NewtonsoftJsonSocketIoOptionsExtensions
{
    /// <summary>
    /// Serializes the values of events, acknowledgements and refusals with Newtonsoft.Json, honouring its attributes
    /// and <paramref name="settings"/> (default: Newtonsoft's defaults). <c>byte[]</c> values still travel as binary
    /// attachments.
    /// </summary>
    /// <remarks>Newtonsoft.Json works by reflection: not for native AOT or trimmed applications, which keep the
    /// default System.Text.Json serializer with source-generated contexts (see <see cref="SocketIoOptions.JsonSerializerOptions"/>).</remarks>
    [RequiresUnreferencedCode(NewtonsoftJsonPayloadSerializer.ReflectionMessage)]
    [RequiresDynamicCode(NewtonsoftJsonPayloadSerializer.ReflectionMessage)]
    public static SocketIoOptions UseNewtonsoftJson(this SocketIoOptions options, JsonSerializerSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PayloadSerializer = new NewtonsoftJsonPayloadSerializer(settings ?? new JsonSerializerSettings());
        return options;
    }
}
