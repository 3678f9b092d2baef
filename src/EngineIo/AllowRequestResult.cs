namespace EngineIo;

/// <summary>The verdict of <see cref="EngineIoOptions.AllowRequest"/> on a handshake request.</summary>
public readonly struct AllowRequestResult
{
    private AllowRequestResult(bool allowed, string? message)
    {
        IsAllowed = allowed;
        Message = message;
    }

    /// <summary>The request may open a session.</summary>
    public static AllowRequestResult Allow => new(true, null);

    /// <summary>
    /// The request is refused: the client gets HTTP 403 with <c>{"code":4,"message":…}</c>, where the message is
    /// <paramref name="message"/> or <c>"Forbidden"</c>.
    /// </summary>
    public static AllowRequestResult Deny(string? message = null) => new(false, message);

    /// <summary>Whether the request may open a session.</summary>
    public bool IsAllowed { get; }

    /// <summary>The message sent to a refused client, if any.</summary>
    public string? Message { get; }
}
