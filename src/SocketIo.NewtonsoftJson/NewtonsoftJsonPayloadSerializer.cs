using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StjElement = System.Text.Json.JsonElement;
using StjValueKind = System.Text.Json.JsonValueKind;
using StjWriter = System.Text.Json.Utf8JsonWriter;

namespace SocketIo.NewtonsoftJson;

/// <summary>
/// Payloads through Newtonsoft.Json. Values go through a <see cref="JToken"/> tree, which is where binary is
/// recognised: a <see cref="JTokenType.Bytes"/> token becomes an attachment on the way out, and an attachment
/// placeholder becomes one on the way in.
/// </summary>
public sealed class NewtonsoftJsonPayloadSerializer : SocketIoPayloadSerializer
{
    internal const string ReflectionMessage =
        "Newtonsoft.Json reads and writes objects by reflection, which trimming and native AOT do not support. Use the default System.Text.Json serializer with a source-generated JsonSerializerContext instead.";

    private readonly JsonSerializerSettings _settings;
    private readonly JsonSerializer _serializer;

    /// <summary>Creates a serializer with <paramref name="settings"/>.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public NewtonsoftJsonPayloadSerializer(JsonSerializerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _serializer = JsonSerializer.Create(settings);
        // A handshake nested in a value takes the reference's shape too (the library writes one given as an argument).
        _serializer.Converters.Add(new HandshakeConverter());
    }

    /// <inheritdoc />
    public override void Serialize(StjWriter writer, object value) => Write(writer, JToken.FromObject(value, _serializer));

    /// <inheritdoc />
    public override object? Deserialize(StjElement element, Type type) => ToToken(element).ToObject(type, _serializer);

    private void Write(StjWriter writer, JToken token)
    {
        switch (token)
        {
            case JObject obj:
                writer.WriteStartObject();
                foreach (var property in obj.Properties())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            case JValue { Type: JTokenType.Null or JTokenType.Undefined }:
                writer.WriteNullValue();
                break;
            case JValue { Type: JTokenType.Bytes, Value: byte[] bytes }:
                WriteBinary(writer, bytes);
                break;
            case JValue { Type: JTokenType.String, Value: string text }:
                writer.WriteStringValue(text);
                break;
            case JValue { Type: JTokenType.Boolean, Value: bool flag }:
                writer.WriteBooleanValue(flag);
                break;
            case JValue { Type: JTokenType.Integer, Value: long number }:
                writer.WriteNumberValue(number);
                break;
            default:
                // Dates, floats, GUIDs, URIs, big integers, raw JSON: as Newtonsoft writes them with these settings.
                writer.WriteRawValue(JsonConvert.SerializeObject(token, _settings), skipInputValidation: true);
                break;
        }
    }

    private JToken ToToken(StjElement element)
    {
        switch (element.ValueKind)
        {
            case StjValueKind.Object:
                if (TryReadBinary(element, out var bytes)) return new JValue(bytes.ToArray());
                var obj = new JObject();
                foreach (var property in element.EnumerateObject()) obj[property.Name] = ToToken(property.Value);
                return obj;
            case StjValueKind.Array:
                var array = new JArray();
                foreach (var item in element.EnumerateArray()) array.Add(ToToken(item));
                return array;
            case StjValueKind.String:
                return new JValue(element.GetString());
            case StjValueKind.Number:
                return NumberToken(element);
            case StjValueKind.True:
                return new JValue(true);
            case StjValueKind.False:
                return new JValue(false);
            default:
                return JValue.CreateNull();
        }
    }

    /// <summary>A number as Newtonsoft's reader would make it: an integer if it is one, else per FloatParseHandling.</summary>
    private JValue NumberToken(StjElement element)
    {
        if (element.TryGetInt64(out var integer)) return new JValue(integer);
        var text = element.GetRawText();
        if (text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            return new JValue(big);
        if (_settings.FloatParseHandling == FloatParseHandling.Decimal && element.TryGetDecimal(out var dec)) return new JValue(dec);
        return new JValue(element.GetDouble());
    }
}
