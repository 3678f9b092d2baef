using MarketplaceEvents.Contracts;

namespace MarketplaceEvents.Services;

/// <summary>
/// Why an operation was refused: a contract error code, a sentence for people, and the HTTP status the REST API
/// answers with.
/// </summary>
internal sealed record MarketplaceError(string Code, string Message, int HttpStatus)
{
    public static MarketplaceError NotFound(string what) => new(ErrorCodes.NotFound, $"{what} not found", StatusCodes.Status404NotFound);

    public static MarketplaceError Forbidden(string message) => new(ErrorCodes.Forbidden, message, StatusCodes.Status403Forbidden);

    public static MarketplaceError Invalid(string message) => new(ErrorCodes.InvalidPayload, message, StatusCodes.Status400BadRequest);

    public static MarketplaceError Conflict(string code, string message) => new(code, message, StatusCodes.Status409Conflict);
}
