namespace EngineIo.Internal;

/// <summary>The handshake and request errors of the protocol, with the reference server's codes.</summary>
internal enum EngineErrorCode
{
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
}

internal static class EngineErrors
{
    public static string MessageOf(EngineErrorCode code) => code switch
    {
        EngineErrorCode.UnknownTransport => "Transport unknown",
        EngineErrorCode.UnknownSid => "Session ID unknown",
        EngineErrorCode.BadHandshakeMethod => "Bad handshake method",
        EngineErrorCode.BadRequest => "Bad request",
        EngineErrorCode.Forbidden => "Forbidden",
        EngineErrorCode.UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    public static int StatusOf(EngineErrorCode code) => code == EngineErrorCode.Forbidden ? 403 : 400;
}
