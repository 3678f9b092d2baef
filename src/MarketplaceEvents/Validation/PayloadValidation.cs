using System.Text.Json;

namespace MarketplaceEvents.Validation;

/// <summary>Reading a payload into a request type, all or nothing.</summary>
internal static class PayloadValidation
{
    /// <summary>
    /// Reads <paramref name="payload"/> with <paramref name="read"/>. Succeeds only when the schema found no violation;
    /// otherwise <paramref name="errors"/> lists every violation.
    /// </summary>
    public static bool TryRead<T>(JsonElement? payload, Func<PayloadReader, T?> read, out T request, out IReadOnlyList<string> errors, string what = "payload")
        where T : class
    {
        var reader = PayloadReader.For(payload, what);
        var value = reader.Errors.Count == 0 ? read(reader) : null;
        if (reader.Errors.Count == 0 && value is not null)
        {
            request = value;
            errors = [];
            return true;
        }
        request = null!;
        errors = reader.Errors.Count > 0 ? reader.Errors : [$"{what} is invalid"];
        return false;
    }

    /// <summary>As the other overload, with the violations joined into one sentence.</summary>
    public static bool TryRead<T>(JsonElement? payload, Func<PayloadReader, T?> read, out T request, out string error)
        where T : class
    {
        var ok = TryRead(payload, read, out request, out IReadOnlyList<string> errors);
        error = string.Join("; ", errors);
        return ok;
    }
}
