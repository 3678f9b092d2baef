using System.Text.Json;
using MarketplaceEvents.Validation;
using Microsoft.AspNetCore.Http.Features;

namespace MarketplaceEvents.Api;

/// <summary>Reads a JSON request body against a schema: the request, or the problem to answer with.</summary>
internal static class RequestBody
{
    /// <summary>The largest body the API reads.</summary>
    public const long MaxBytes = 64 * 1024;

    public static async Task<(T? Request, IResult? Problem)> ReadAsync<T>(HttpRequest request, Func<PayloadReader, T?> schema)
        where T : class
    {
        var sizeLimit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = MaxBytes;
        if (request.ContentLength > MaxBytes) return (null, TooLarge());

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, ApiResults.InvalidBody([$"the body is not valid JSON: {ex.Message}"]));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }

        return PayloadValidation.TryRead(body, schema, out var value, out IReadOnlyList<string> errors, what: "body")
            ? (value, null)
            : (null, ApiResults.InvalidBody(errors));
    }

    private static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"The body exceeds {MaxBytes} bytes",
            extensions: new Dictionary<string, object?> { ["code"] = Contracts.ErrorCodes.InvalidPayload });
}
