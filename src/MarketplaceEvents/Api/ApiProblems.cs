using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts;

namespace MarketplaceEvents.Api;

/// <summary>
/// Completes the problem details the framework writes by itself (401, 403, unknown routes, failures) with the
/// contract's error code and a sentence saying what to do.
/// </summary>
internal static class ApiProblems
{
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        switch (problem.Status)
        {
            case StatusCodes.Status401Unauthorized:
                problem.Extensions["code"] = ErrorCodes.AuthFailed;
                problem.Detail ??= context.HttpContext.Items[BearerAuthenticationHandler.FailureItem] as string
                    ?? "A valid 'Authorization: Bearer <jwt>' header is required";
                break;
            case StatusCodes.Status403Forbidden:
                problem.Extensions["code"] = ErrorCodes.Forbidden;
                problem.Detail ??= "Your role may not do this";
                break;
            case StatusCodes.Status404NotFound:
                problem.Extensions["code"] = ErrorCodes.NotFound;
                break;
            case >= 500:
                problem.Extensions["code"] = ErrorCodes.InternalError;
                break;
        }
    }
}
