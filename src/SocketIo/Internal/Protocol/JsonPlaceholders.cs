using System.Text.Json;

namespace SocketIo.Internal.Protocol;

/// <summary>
/// Finds and checks the attachment placeholders (<c>{"_placeholder":true,"num":N}</c>) in the JSON
/// payload of a binary packet, with the semantics the reference parser gives them when it swaps
/// placeholders for buffers:
/// <list type="bullet">
/// <item>an object is a placeholder when its <c>_placeholder</c> member is exactly <c>true</c>
/// (the last occurrence wins when a key is repeated, as with <c>JSON.parse</c>);</item>
/// <item>a placeholder is replaced as a whole, so whatever is nested inside it is not looked at;</item>
/// <item>its <c>num</c> must be a number naming one of the attachments.</item>
/// </list>
/// </summary>
internal static class JsonPlaceholders
{
    // Open containers are tracked on the stack up to this depth, which covers the default limit;
    // deeper payloads (allowed by a larger configured limit) move the tracking to the heap.
    private const int StackallocDepth = 64;

    /// <summary>
    /// Returns whether every placeholder in <paramref name="json"/> that the reference would
    /// replace points at one of <paramref name="attachmentCount"/> attachments. Malformed JSON, or
    /// JSON nested deeper than <paramref name="maxDepth"/>, is reported as invalid.
    /// </summary>
    public static bool AreValid(ReadOnlySpan<byte> json, int attachmentCount, int maxDepth)
    {
        if (json.IsEmpty)
        {
            return true;
        }

        Span<Frame> frames = stackalloc Frame[StackallocDepth];
        var top = -1;
        var pendingKey = Key.Other;

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingKey = reader.ValueTextEquals("_placeholder"u8) ? Key.Placeholder
                            : reader.ValueTextEquals("num"u8) ? Key.Num
                            : Key.Other;
                        break;

                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (pendingKey != Key.Other)
                        {
                            // A container is neither `true` nor a number: it resets the member it is
                            // the value of.
                            frames[top].Assign(pendingKey, isTrue: false, isValidIndex: false);
                        }

                        if (++top == frames.Length)
                        {
                            var larger = new Frame[frames.Length * 2];
                            frames.CopyTo(larger);
                            frames = larger;
                        }

                        frames[top] = default;
                        pendingKey = Key.Other;
                        break;

                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        var closed = frames[top--];

                        // Whether an invalid placeholder further down matters is only known here: if
                        // this object turns out to be a placeholder itself, it replaces its contents.
                        var invalid = closed.IsPlaceholder ? !closed.HasValidIndex : closed.HasInvalidDescendant;
                        if (invalid)
                        {
                            if (top < 0)
                            {
                                return false;
                            }

                            frames[top].HasInvalidDescendant = true;
                        }

                        break;

                    default:
                        // pendingKey is only ever set by a property name, so a frame is open and it is an object.
                        if (pendingKey != Key.Other)
                        {
                            frames[top].Assign(
                                pendingKey,
                                isTrue: reader.TokenType == JsonTokenType.True,
                                isValidIndex: pendingKey == Key.Num && TryGetAttachmentIndex(ref reader, attachmentCount, out _));
                        }

                        pendingKey = Key.Other;
                        break;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the current token as a placeholder's <c>num</c>: a JSON number with an integral value in
    /// <c>[0, attachmentCount)</c>. Written forms the reference treats as the same number, such as
    /// <c>1.0</c> or <c>1e0</c>, are accepted; fractions are not (the reference would look up a
    /// non-existent buffer and leave <c>undefined</c> in the payload).
    /// </summary>
    public static bool TryGetAttachmentIndex(ref Utf8JsonReader reader, int attachmentCount, out int index)
    {
        if (reader.TokenType == JsonTokenType.Number
            && reader.TryGetDouble(out var value)
            && value >= 0
            && value < attachmentCount
            && Math.Floor(value) == value)
        {
            index = (int)value;
            return true;
        }

        index = -1;
        return false;
    }

    private enum Key : byte
    {
        Other,
        Placeholder,
        Num,
    }

    /// <summary>What is known so far about one open array or object.</summary>
    private struct Frame
    {
        public bool IsPlaceholder;
        public bool HasValidIndex;
        public bool HasInvalidDescendant;

        /// <summary>Records the value of a member of this object; a repeated key overrides the earlier one.</summary>
        public void Assign(Key key, bool isTrue, bool isValidIndex)
        {
            if (key == Key.Placeholder)
            {
                IsPlaceholder = isTrue;
            }
            else if (key == Key.Num)
            {
                HasValidIndex = isValidIndex;
            }
        }
    }
}
