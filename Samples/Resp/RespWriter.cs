using System.Buffers;
using System.Text;

namespace Folios.Resp;

/// <summary>RESP2 replies, each written into exactly the span it asked the writer for.</summary>
internal static class RespWriter
{
    public static void WriteSimpleString(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        int size = 1 + text.Length + 2;
        var span = output.GetSpan(size)[..size];
        span[0] = (byte)'+';
        text.CopyTo(span[1..]);
        "\r\n"u8.CopyTo(span[(1 + text.Length)..]);
        output.Advance(size);
    }

    /// <summary>An error line; CR and LF in the message (an echoed argument) become spaces, so it stays one line.</summary>
    public static void WriteError(IBufferWriter<byte> output, string message)
    {
        int length = Encoding.UTF8.GetByteCount(message);
        int size = 1 + length + 2;
        var span = output.GetSpan(size)[..size];
        span[0] = (byte)'-';
        Encoding.UTF8.GetBytes(message, span[1..]);
        span[1..^2].Replace((byte)'\r', (byte)' ');
        span[1..^2].Replace((byte)'\n', (byte)' ');
        "\r\n"u8.CopyTo(span[^2..]);
        output.Advance(size);
    }

    public static void WriteInteger(IBufferWriter<byte> output, long value) => WriteHeader(output, (byte)':', value);

    public static void WriteArrayHeader(IBufferWriter<byte> output, long count) => WriteHeader(output, (byte)'*', count);

    public static void WriteBulkHeader(IBufferWriter<byte> output, long length) => WriteHeader(output, (byte)'$', length);

    public static void WriteNull(IBufferWriter<byte> output) => WriteHeader(output, (byte)'$', -1);

    public static void WriteBulk(IBufferWriter<byte> output, ReadOnlySequence<byte> value)
    {
        WriteBulkHeader(output, value.Length);
        foreach (var segment in value)
            Write(output, segment.Span);
        Write(output, "\r\n"u8);
    }

    /// <summary>A bulk string; a small one (the common reply) in one span.</summary>
    public static void WriteBulk(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        if (value.Length > 4096)
        {
            WriteBulkHeader(output, value.Length);
            Write(output, value);
            Write(output, "\r\n"u8);
            return;
        }
        int asked = 1 + RespNumber.MaxLength + 2 + value.Length + 2;
        var span = output.GetSpan(asked)[..asked];
        span[0] = (byte)'$';
        int size = 1 + RespNumber.Format(value.Length, span[1..]);
        "\r\n"u8.CopyTo(span[size..]);
        value.CopyTo(span[(size + 2)..]);
        "\r\n"u8.CopyTo(span[(size + 2 + value.Length)..]);
        output.Advance(size + 2 + value.Length + 2);
    }

    /// <summary>Raw bytes, in chunks the writer gives (each chunk written only within what was asked).</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int chunk = Math.Min(bytes.Length, 4096);
            bytes[..chunk].CopyTo(output.GetSpan(chunk));
            output.Advance(chunk);
            bytes = bytes[chunk..];
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte marker, long value)
    {
        const int size = 1 + RespNumber.MaxLength + 2;
        var span = output.GetSpan(size)[..size];
        span[0] = marker;
        int digits = RespNumber.Format(value, span[1..]);
        "\r\n"u8.CopyTo(span[(1 + digits)..]);
        output.Advance(1 + digits + 2);
    }
}
