using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace SocketIo.Tests.Protocol.MsgPack;

/// <summary>
/// Compares two JSON payloads by meaning: object members in any order, numbers by value (integers
/// exactly, as big integers), and placeholders by the bytes of the attachment they point to, so
/// the numbering of attachments and the member order may differ.
/// </summary>
internal static class JsonEquivalence
{
    /// <summary>Returns null when equivalent, otherwise where and how they differ.</summary>
    public static string? Compare(
        JsonElement actual,
        IReadOnlyList<ReadOnlyMemory<byte>> actualAttachments,
        JsonElement expected,
        IReadOnlyList<byte[]> expectedAttachments,
        string path = "$")
    {
        if (IsPlaceholder(expected, out int expectedNum))
        {
            if (!IsPlaceholder(actual, out int actualNum))
            {
                return $"{path}: expected a placeholder, got {actual.GetRawText()}";
            }

            if (actualNum < 0 || actualNum >= actualAttachments.Count)
            {
                return $"{path}: placeholder {actualNum} has no attachment";
            }

            return actualAttachments[actualNum].Span.SequenceEqual(expectedAttachments[expectedNum])
                ? null
                : $"{path}: attachment bytes differ ({Convert.ToHexString(actualAttachments[actualNum].Span)} vs {Convert.ToHexString(expectedAttachments[expectedNum])})";
        }

        if (actual.ValueKind != expected.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind} {Truncate(expected.GetRawText())}, got {actual.ValueKind} {Truncate(actual.GetRawText())}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                Dictionary<string, JsonElement> actualMembers = [];
                foreach (JsonProperty property in actual.EnumerateObject())
                {
                    actualMembers[property.Name] = property.Value;
                }

                int expectedCount = 0;
                foreach (JsonProperty property in expected.EnumerateObject())
                {
                    expectedCount++;
                    if (!actualMembers.TryGetValue(property.Name, out JsonElement value))
                    {
                        return $"{path}: missing member \"{property.Name}\"";
                    }

                    string? difference = Compare(value, actualAttachments, property.Value, expectedAttachments, $"{path}.{property.Name}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return actualMembers.Count == expectedCount ? null : $"{path}: {actualMembers.Count} members, expected {expectedCount}";

            case JsonValueKind.Array:
                int length = expected.GetArrayLength();
                if (actual.GetArrayLength() != length)
                {
                    return $"{path}: {actual.GetArrayLength()} elements, expected {length}";
                }

                for (int i = 0; i < length; i++)
                {
                    string? difference = Compare(actual[i], actualAttachments, expected[i], expectedAttachments, $"{path}[{i}]");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;

            case JsonValueKind.Number:
                string a = actual.GetRawText();
                string e = expected.GetRawText();
                bool equal = IsIntegerLiteral(a) && IsIntegerLiteral(e)
                    ? BigInteger.Parse(a, CultureInfo.InvariantCulture) == BigInteger.Parse(e, CultureInfo.InvariantCulture)
                    : actual.GetDouble() == expected.GetDouble();
                return equal ? null : $"{path}: number {a}, expected {e}";

            case JsonValueKind.String:
                return actual.GetString() == expected.GetString() ? null : $"{path}: string {actual.GetRawText()}, expected {expected.GetRawText()}";

            default:
                return null;
        }
    }

    public static bool IsIntegerLiteral(string number) => !number.AsSpan().ContainsAny('.', 'e', 'E');

    private static bool IsPlaceholder(JsonElement element, out int num)
    {
        num = -1;
        return element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("_placeholder", out JsonElement flag)
            && flag.ValueKind == JsonValueKind.True
            && element.TryGetProperty("num", out JsonElement n)
            && n.TryGetInt32(out num);
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
