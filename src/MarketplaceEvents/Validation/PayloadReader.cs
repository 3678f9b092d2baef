using System.Globalization;
using System.Text.Json;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Validation;

/// <summary>
/// Reads the fields of one JSON object against a schema, collecting every violation as a readable sentence naming
/// the field (<c>attachments[0].url must be an http(s) URL</c>). Values that violate the schema read as null;
/// callers build nothing from a reader that has <see cref="Errors"/>. Unknown fields are ignored.
/// </summary>
internal sealed class PayloadReader
{
    private readonly JsonElement _object;
    private readonly string _prefix;
    private readonly List<string> _errors;

    private PayloadReader(JsonElement @object, string prefix, List<string> errors)
    {
        _object = @object;
        _prefix = prefix;
        _errors = errors;
    }

    /// <summary>The violations found so far (shared by nested readers).</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>A reader for <paramref name="payload"/>, which must be an object (an error is recorded otherwise).</summary>
    public static PayloadReader For(JsonElement? payload, string what = "payload")
    {
        var errors = new List<string>();
        if (payload is not { ValueKind: JsonValueKind.Object } element)
        {
            errors.Add($"{what} must be a JSON object");
            return new PayloadReader(default, "", errors);
        }
        return new PayloadReader(element, "", errors);
    }

    public void AddError(string field, string problem) => _errors.Add($"{_prefix}{field} {problem}");

    public string? String(string name, bool required, int maxLength = Limits.MaxTextLength, bool allowEmpty = false)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) return Fail<string>(name, "must be a string");
        if (!TryGetText(value, out var text)) return Fail<string>(name, "must be valid UTF-16 text (it has an unpaired surrogate)");
        if (!allowEmpty && string.IsNullOrWhiteSpace(text)) return Fail<string>(name, "must not be empty");
        if (text.Length > maxLength) return Fail<string>(name, $"must be at most {maxLength} characters");
        return text;
    }

    /// <summary>An id: a non-empty string of at most 128 characters.</summary>
    public string? Id(string name, bool required = true) => String(name, required, Limits.MaxIdLength);

    public string? Enum(string name, bool required, IReadOnlySet<string> allowed)
    {
        var text = String(name, required, 64);
        if (text is null) return null;
        return allowed.Contains(text) ? text : Fail<string>(name, "must be one of " + string.Join(", ", allowed.Order(StringComparer.Ordinal)));
    }

    public bool? Bool(string name, bool required)
    {
        if (!TryGet(name, required, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Fail<bool?>(name, "must be true or false"),
        };
    }

    public int? Int(string name, bool required, int min, int max)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number)) return Fail<int?>(name, "must be an integer");
        return number < min || number > max ? Fail<int?>(name, $"must be between {min} and {max}") : number;
    }

    public long? Long(string name, bool required, long min, long max)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number)) return Fail<long?>(name, "must be an integer");
        return number < min || number > max ? Fail<long?>(name, $"must be between {min} and {max}") : number;
    }

    /// <summary>A JSON number with at most <paramref name="decimals"/> decimals, in [min, max].</summary>
    public decimal? Decimal(string name, bool required, decimal min, decimal max, int decimals = 4)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number)) return Fail<decimal?>(name, "must be a number");
        if (number < min || number > max) return Fail<decimal?>(name, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return decimal.Round(number, decimals) != number ? Fail<decimal?>(name, $"must have at most {decimals} decimals") : number;
    }

    /// <summary>A three-letter upper-case currency code (ISO 4217 shape).</summary>
    public string? Currency(string name, bool required)
    {
        var text = String(name, required, 64);
        if (text is null) return null;
        return text.Length == 3 && text.All(char.IsAsciiLetterUpper) ? text : Fail<string>(name, "must be a three-letter upper-case currency code such as EUR");
    }

    public DateTimeOffset? Timestamp(string name, bool required)
    {
        var text = String(name, required, 64);
        if (text is null) return null;
        return Timestamps.TryParse(text, out var time) ? time : Fail<DateTimeOffset?>(name, "must be an ISO-8601 timestamp");
    }

    public string? HttpUrl(string name, bool required)
    {
        var text = String(name, required, Limits.MaxUrlLength);
        if (text is null) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? text
            : Fail<string>(name, "must be an absolute http(s) URL");
    }

    /// <summary>Any JSON object, kept as it is (metadata).</summary>
    public JsonElement? RawObject(string name, bool required)
    {
        if (!TryGet(name, required, out var value)) return null;
        return value.ValueKind == JsonValueKind.Object ? value.Clone() : Fail<JsonElement?>(name, "must be a JSON object");
    }

    /// <summary>A string or an object, kept as it is (a notification's action).</summary>
    public JsonElement? RawStringOrObject(string name, bool required)
    {
        if (!TryGet(name, required, out var value)) return null;
        return value.ValueKind is JsonValueKind.Object or JsonValueKind.String ? value.Clone() : Fail<JsonElement?>(name, "must be a string or a JSON object");
    }

    /// <summary>A nested object, read by its own reader sharing this one's errors.</summary>
    public PayloadReader? Object(string name, bool required)
    {
        if (!TryGet(name, required, out var value)) return null;
        return value.ValueKind == JsonValueKind.Object ? new PayloadReader(value, $"{_prefix}{name}.", _errors) : Fail<PayloadReader>(name, "must be a JSON object");
    }

    /// <summary>The items of an array of objects, each with its own reader; null when absent or invalid.</summary>
    public IReadOnlyList<PayloadReader>? ObjectArray(string name, bool required, int maxItems)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array) return Fail<IReadOnlyList<PayloadReader>>(name, "must be an array");
        var length = value.GetArrayLength();
        if (length > maxItems) return Fail<IReadOnlyList<PayloadReader>>(name, $"must have at most {maxItems} items");
        var items = new List<PayloadReader>(length);
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) AddError($"{name}[{i}]", "must be a JSON object");
            else items.Add(new PayloadReader(item, $"{_prefix}{name}[{i}].", _errors));
            i++;
        }
        return items;
    }

    /// <summary>An array of distinct ids.</summary>
    public IReadOnlyList<string>? IdArray(string name, bool required, int minItems, int maxItems)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array) return Fail<IReadOnlyList<string>>(name, "must be an array");
        var length = value.GetArrayLength();
        if (length < minItems || length > maxItems) return Fail<IReadOnlyList<string>>(name, $"must have between {minItems} and {maxItems} items");
        var ids = new List<string>(length);
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryGetText(item, out var id) || string.IsNullOrWhiteSpace(id) || id.Length > Limits.MaxIdLength)
            {
                return Fail<IReadOnlyList<string>>(name, "must hold non-empty strings of at most 128 characters");
            }
            ids.Add(id);
        }
        return ids.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// A JSON string's text, or false when it cannot be one: an escaped UTF-16 surrogate without its pair
    /// (<c>"\ud800"</c>) is valid JSON that no .NET string reader accepts (it throws InvalidOperationException).
    /// </summary>
    public static bool TryGetText(JsonElement value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>Whether the object has the field at all (null counts as absent).</summary>
    public bool Has(string name) => _object.ValueKind == JsonValueKind.Object && _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        value = default;
        if (_object.ValueKind != JsonValueKind.Object) return false;
        // An explicit null is the same as an absent field: both mean "not given".
        if (_object.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) AddError(name, "is required");
        return false;
    }

    private T? Fail<T>(string name, string problem)
    {
        AddError(name, problem);
        return default;
    }

    /// <summary>Sizes shared by the schemas.</summary>
    public static class Limits
    {
        public const int MaxIdLength = 128;
        public const int MaxTextLength = 1000;
        public const int MaxUrlLength = 2048;
    }
}
