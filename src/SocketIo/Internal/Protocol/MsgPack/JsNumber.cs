using System.Globalization;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// Formats a double as JavaScript's <c>Number.prototype.toString()</c> does (ECMAScript
/// Number::toString, radix 10). Used where a number becomes text the way JavaScript would make it:
/// a msgpack map key that is a float, which notepack turns into an object property name.
/// </summary>
internal static class JsNumber
{
    /// <summary>Longest output: sign, 17 digits, point, <c>e-324</c>.</summary>
    public const int MaxFormattedLength = 32;

    /// <summary>Writes the JavaScript text of <paramref name="value"/> as ASCII into <paramref name="destination"/>.</summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < MaxFormattedLength)
        {
            return false;
        }

        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, destination, out written);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "Infinity"u8 : "-Infinity"u8, destination, out written);
        }

        if (value == 0)
        {
            // -0 prints as "0" in JavaScript.
            return Copy("0"u8, destination, out written);
        }

        // .NET's "R" gives the shortest digit string that round-trips, the same digits ECMAScript
        // asks for; only the layout (where the point goes, when to use an exponent) differs, so
        // take the digits and the decimal exponent from it and lay them out the JavaScript way.
        Span<char> text = stackalloc char[40];
        if (!value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
        {
            return false;
        }

        text = text[..length];
        bool negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        int exponentAt = text.IndexOfAny('E', 'e');
        int exponent = 0;
        if (exponentAt >= 0)
        {
            exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..exponentAt];
        }

        // digits = d1..dk and n such that value = 0.d1..dk × 10^n (the spec's k and n).
        Span<byte> digits = stackalloc byte[24];
        int k = 0;
        int integerDigits = 0;
        bool seenPoint = false;
        foreach (char c in text)
        {
            if (c == '.')
            {
                seenPoint = true;
            }
            else if (k == 0 && c == '0')
            {
                // A leading zero: before the point it is meaningless ("0.5"), after it it moves
                // the first significant digit one place right ("0.05").
                if (seenPoint)
                {
                    integerDigits--;
                }
            }
            else
            {
                digits[k++] = (byte)c;
                if (!seenPoint)
                {
                    integerDigits++;
                }
            }
        }

        while (k > 1 && digits[k - 1] == '0')
        {
            k--;
        }

        int n = integerDigits + exponent;
        int p = 0;
        if (negative)
        {
            destination[p++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            digits[..k].CopyTo(destination[p..]);
            p += k;
            destination.Slice(p, n - k).Fill((byte)'0');
            p += n - k;
        }
        else if (0 < n && n <= 21)
        {
            digits[..n].CopyTo(destination[p..]);
            p += n;
            destination[p++] = (byte)'.';
            digits[n..k].CopyTo(destination[p..]);
            p += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[p++] = (byte)'0';
            destination[p++] = (byte)'.';
            destination.Slice(p, -n).Fill((byte)'0');
            p += -n;
            digits[..k].CopyTo(destination[p..]);
            p += k;
        }
        else
        {
            destination[p++] = digits[0];
            if (k > 1)
            {
                destination[p++] = (byte)'.';
                digits[1..k].CopyTo(destination[p..]);
                p += k - 1;
            }

            int e = n - 1;
            destination[p++] = (byte)'e';
            destination[p++] = e < 0 ? (byte)'-' : (byte)'+';
            if (!Math.Abs(e).TryFormat(destination[p..], out int exponentLength, default, CultureInfo.InvariantCulture))
            {
                return false;
            }

            p += exponentLength;
        }

        written = p;
        return true;
    }

    private static bool Copy(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        text.CopyTo(destination);
        written = text.Length;
        return true;
    }
}
