using System.Buffers.Text;
using System.Security.Cryptography;

namespace EngineIo.Internal;

/// <summary>Session ids: 120 bits from a cryptographic generator, as 20 URL-safe base64 characters.</summary>
internal static class SessionIdGenerator
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
