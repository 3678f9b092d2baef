using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EngineIo.Internal;

/// <summary>The HTTP answers the engine writes itself: protocol errors and the headers of polling responses.</summary>
internal static class EngineResponses
{
    /// <summary>Writes <c>{"code":N,"message":"…"}</c> with the reference server's status code (403 for Forbidden, else 400).</summary>
    public static async Task WriteErrorAsync(HttpContext context, EngineErrorCode code, string? message = null)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = EngineErrors.StatusOf(code);
        response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody((int)code, message ?? EngineErrors.MessageOf(code)), EngineJsonContext.Default.ErrorBody);
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client is already gone; there is nobody left to tell.
        }
    }

    public static void AddPollingHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        // Old Internet Explorer flags long-polling responses as XSS without this.
        var userAgent = context.Request.Headers.UserAgent.ToString();
        if (userAgent.Contains(";MSIE", StringComparison.Ordinal) || userAgent.Contains("Trident/", StringComparison.Ordinal))
            headers["X-XSS-Protection"] = "0";
    }

    internal sealed record ErrorBody(int code, string message);
}
