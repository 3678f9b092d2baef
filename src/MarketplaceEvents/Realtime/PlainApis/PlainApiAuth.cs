using MarketplaceEvents.Auth;
using MarketplaceEvents.Domain;
using SocketIo;

namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>
/// Authenticating a plain WebSocket client like the REST API: <c>Authorization: Bearer</c> or <c>?token=</c>. A
/// refusal closes with the older APIs' codes: 4000 without credentials, 4001 for an invalid or expired token, 1011
/// when checking failed.
/// </summary>
internal static partial class PlainApiAuth
{
    public const int NoCredentials = 4000;
    public const int InvalidCredentials = 4001;
    public const int LimitExceeded = 4002;
    public const int InternalError = 1011;

    public static async ValueTask<UserIdentity> AuthenticateAsync(SocketIoSocket socket, TokenValidator tokens, ILogger logger)
    {
        var token = TokenValidator.StripBearer(socket.Handshake.Headers.Authorization.ToString());
        if (string.IsNullOrEmpty(token)) token = socket.Handshake.Query["token"].ToString();
        if (string.IsNullOrEmpty(token)) Refuse(socket, NoCredentials, "Authentication required");

        TokenCheck check;
        try
        {
            check = await tokens.ValidateAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            TokenCheckFailed(logger, ex);
            Refuse(socket, InternalError, "Internal error");
            throw;
        }
        if (!check.IsValid) Refuse(socket, InvalidCredentials, check.Failure ?? "Invalid token");
        return check.User!;
    }

    /// <summary>Refuses the connection with <paramref name="code"/>: always throws.</summary>
    public static void Refuse(SocketIoSocket socket, int code, string reason)
    {
        socket.CloseConnection(code, reason);
        throw new ConnectionRefusedException(reason);
    }

    [LoggerMessage(900, LogLevel.Error, "Plain WebSocket API: checking a token failed.", EventName = "PlainApiTokenCheckFailed")]
    private static partial void TokenCheckFailed(ILogger logger, Exception exception);
}
