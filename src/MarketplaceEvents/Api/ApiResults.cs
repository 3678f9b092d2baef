using MarketplaceEvents.Contracts;
using MarketplaceEvents.Services;

namespace MarketplaceEvents.Api;

/// <summary>Turning service outcomes into HTTP answers: the resource, or RFC 7807 problem details carrying the contract's error code.</summary>
internal static class ApiResults
{
    public static IResult Problem(MarketplaceError error) =>
        Results.Problem(
            statusCode: error.HttpStatus,
            detail: error.Message,
            extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    public static IResult InvalidBody(IReadOnlyList<string> errors) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The request body is invalid",
            detail: string.Join("; ", errors),
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.InvalidPayload, ["errors"] = errors });

    public static IResult Ok<T>(ServiceResult<T> result) => result.Succeeded ? Results.Ok(result.Value) : Problem(result.Error);

    public static IResult Created<T>(ServiceResult<T> result, Func<T, string?> location) =>
        result.Succeeded ? Results.Created(location(result.Value), result.Value) : Problem(result.Error);
}
