using System.Buffers;

namespace Folios.Resp;

/// <summary>What <see cref="RespParser.TryParse"/> found at the reader's position.</summary>
internal enum ParseStatus
{
    /// <summary>A whole command (its arguments are in the list; none for an empty command, which gets no reply).</summary>
    Command,

    /// <summary>The command is not all there yet; nothing was consumed.</summary>
    Incomplete,

    /// <summary>Malformed or over a limit: reply with the error and close the connection, as Redis does.</summary>
    Error,
}

/// <summary>
/// RESP2 requests: arrays of bulk strings (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>), and inline commands (<c>PING\r\n</c>).
/// Every read goes through <see cref="SequenceReader{T}"/>, so a command split anywhere across segments parses the
/// same. Arguments are slices of the caller's buffer: valid until the caller advances its pipe past them.
/// </summary>
internal static class RespParser
{
    private const int MaxHeaderLength = 32;

    /// <summary>
    /// Parses one command at the reader's position. On <see cref="ParseStatus.Command"/> the reader is past it;
    /// otherwise the reader's position is meaningless and <paramref name="needed"/> is a lower bound on the bytes,
    /// from the command's start, that must be buffered before parsing again can succeed (Incomplete).
    /// </summary>
    public static ParseStatus TryParse(ref SequenceReader<byte> reader, List<ReadOnlySequence<byte>> arguments, RespLimits limits,
        out long needed, out string? error)
    {
        arguments.Clear();
        needed = 0;
        error = null;
        long start = reader.Consumed;
        if (!reader.TryPeek(out byte first))
        {
            needed = 1;
            return ParseStatus.Incomplete;
        }
        if (first != (byte)'*')
            return ParseInline(ref reader, arguments, limits, start, out needed, out error);

        reader.Advance(1);
        var header = ReadInteger(ref reader, out long count);
        if (header != ParseStatus.Command)
            return Fail(header, "invalid multibulk length", Available(ref reader, start) + 1, out needed, out error);
        // Redis ignores an array of zero or fewer elements: no command, no reply.
        if (count <= 0)
            return ParseStatus.Command;
        // Each element is at least "$0\r\n\r\n".
        if (count > limits.MaxArguments || reader.Consumed - start + (count * 6) > limits.MaxCommandBytes)
            return Fail(ParseStatus.Error, "invalid multibulk length", 0, out needed, out error);

        for (long i = 0; i < count; i++)
        {
            // The least the command can still take: this element and the ones after it, six bytes each at least.
            long leastEnd = reader.Consumed - start + ((count - i) * 6);
            if (!reader.TryRead(out byte marker))
                return Fail(ParseStatus.Incomplete, "", leastEnd, out needed, out error);
            if (marker != (byte)'$')
                return Fail(ParseStatus.Error, $"expected '$', got '{Printable(marker)}'", 0, out needed, out error);
            var lengthStatus = ReadInteger(ref reader, out long length);
            if (lengthStatus != ParseStatus.Command)
                return Fail(lengthStatus, "invalid bulk length", Math.Max(leastEnd, Available(ref reader, start) + 1), out needed, out error);
            if (length < 0 || length > limits.MaxBulkLength)
                return Fail(ParseStatus.Error, "invalid bulk length", 0, out needed, out error);
            long end = reader.Consumed - start + length + 2 + ((count - i - 1) * 6);
            if (end > limits.MaxCommandBytes)
                return Fail(ParseStatus.Error, "command too large", 0, out needed, out error);
            if (reader.Remaining < length + 2)
                return Fail(ParseStatus.Incomplete, "", end, out needed, out error);
            arguments.Add(reader.UnreadSequence.Slice(0, length));
            reader.Advance(length);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
                return Fail(ParseStatus.Error, "bulk string not followed by CRLF", 0, out needed, out error);
        }
        return ParseStatus.Command;
    }

    /// <summary>A line of words separated by spaces, ended by LF or CRLF (Redis' inline form).</summary>
    private static ParseStatus ParseInline(ref SequenceReader<byte> reader, List<ReadOnlySequence<byte>> arguments, RespLimits limits,
        long start, out long needed, out string? error)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
        {
            return reader.Remaining > limits.MaxInlineLength
                ? Fail(ParseStatus.Error, "too big inline request", 0, out needed, out error)
                : Fail(ParseStatus.Incomplete, "", Available(ref reader, start) + 1, out needed, out error);
        }
        if (line.Length > limits.MaxInlineLength)
            return Fail(ParseStatus.Error, "too big inline request", 0, out needed, out error);
        needed = 0;
        error = null;
        var words = new SequenceReader<byte>(line);
        while (!words.End)
        {
            words.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r');
            var wordStart = words.Position;
            if (!words.TryAdvanceToAny(" \t\r"u8, advancePastDelimiter: false))
                words.AdvanceToEnd();
            var word = line.Slice(wordStart, words.Position);
            if (!word.IsEmpty)
                arguments.Add(word);
        }
        return ParseStatus.Command;
    }

    /// <summary>A decimal integer and its CRLF, at most <see cref="MaxHeaderLength"/> bytes.</summary>
    private static ParseStatus ReadInteger(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> digits, "\r\n"u8, advancePastDelimiter: true))
            return reader.Remaining > MaxHeaderLength ? ParseStatus.Error : ParseStatus.Incomplete;
        if (digits.Length is 0 or > MaxHeaderLength)
            return ParseStatus.Error;
        Span<byte> text = stackalloc byte[MaxHeaderLength];
        digits.CopyTo(text);
        return RespNumber.TryParse(text[..(int)digits.Length], out value) ? ParseStatus.Command : ParseStatus.Error;
    }

    /// <summary>The bytes buffered from the command's start: an incomplete command needs at least one more.</summary>
    private static long Available(ref SequenceReader<byte> reader, long start) => reader.Consumed - start + reader.Remaining;

    private static ParseStatus Fail(ParseStatus status, string message, long neededBytes, out long needed, out string? error)
    {
        needed = status == ParseStatus.Incomplete ? neededBytes : 0;
        error = status == ParseStatus.Error ? "Protocol error: " + message : null;
        return status;
    }

    private static char Printable(byte value) => value is >= 0x20 and < 0x7F ? (char)value : '?';
}
