using System.Buffers.Text;

namespace Folios.Resp;

/// <summary>Integers as Redis reads and writes them: an optional '-', decimal digits, no leading zeros, no '+'.</summary>
internal static class RespNumber
{
    /// <summary>The longest 64-bit integer in text: "-9223372036854775808".</summary>
    public const int MaxLength = 20;

    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits.Length > 19 || (digits[0] == (byte)'0' && (digits.Length > 1 || negative)))
            return false;
        ulong magnitude = 0;
        foreach (byte digit in digits)
        {
            uint d = (uint)(digit - '0');
            if (d > 9)
                return false;
            magnitude = (magnitude * 10) + d;
        }
        if (magnitude > (negative ? 9223372036854775808UL : long.MaxValue))
            return false;
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes).</summary>
    public static int Format(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out int written);
        return written;
    }
}
