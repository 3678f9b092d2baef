using System.Text.Json.Serialization;

namespace EngineIo.Internal;

/// <summary>Source-generated JSON for the few documents the engine writes (no reflection at run time).</summary>
[JsonSerializable(typeof(EngineResponses.ErrorBody))]
internal sealed partial class EngineJsonContext : JsonSerializerContext
{
}
