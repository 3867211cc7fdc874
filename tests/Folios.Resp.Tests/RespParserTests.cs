using System.Buffers;
using System.Text;

namespace Folios.Resp.Tests;

/// <summary>The request parser: every command parses the same however it is cut into segments, every prefix waits
/// for more, and malformed or oversized input is an error.</summary>
public class RespParserTests
{
    private static readonly RespLimits Limits = new() { MaxArguments = 1000, MaxBulkLength = 1000, MaxCommandBytes = 4000, MaxInlineLength = 100 };

    public static TheoryData<string, string[]> Commands() => new()
    {
        { "*1\r\n$4\r\nPING\r\n", ["PING"] },
        { "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", ["SET", "key", "value"] },
        // A value holding CR, LF and a fake header: bulk strings are counted, not scanned.
        { "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$13\r\na\r\n$3\r\nb\r\n*\r\n\r\n", ["SET", "k", "a\r\n$3\r\nb\r\n*\r\n"] },
        { "*2\r\n$3\r\nGET\r\n$0\r\n\r\n", ["GET", ""] },
        { "*4\r\n$4\r\nMGET\r\n$1\r\na\r\n$2\r\nbb\r\n$3\r\nccc\r\n", ["MGET", "a", "bb", "ccc"] },
        { "PING\r\n", ["PING"] },
        { "  SET  k\tv \r\n", ["SET", "k", "v"] },
        { "GET k\n", ["GET", "k"] },
        { "*0\r\n", [] },
        { "*-1\r\n", [] },
        { "\r\n", [] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_parses_the_same_cut_at_every_byte_and_one_byte_per_segment(string request, string[] expected)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        Assert.Equal(expected, ParseWhole(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(expected, ParseWhole(Segments.OneBytePerSegment(bytes)));
        for (int cut = 1; cut < bytes.Length; cut++)
            Assert.Equal(expected, ParseWhole(Segments.Split(bytes, cut)));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_prefix_is_incomplete_and_asks_for_more_than_it_has_and_no_more_than_the_command(string request, string[] expected)
    {
        Assert.NotNull(expected);
        var bytes = Encoding.ASCII.GetBytes(request);
        for (int length = 0; length < bytes.Length; length++)
        {
            var reader = new SequenceReader<byte>(Segments.OneBytePerSegment(bytes[..length]));
            var status = RespParser.TryParse(ref reader, [], Limits, out long needed, out string? error);
            Assert.True(status == ParseStatus.Incomplete, $"prefix of {length} bytes: {status} {error}");
            Assert.InRange(needed, length + 1, bytes.Length);
        }
    }

    [Fact]
    public void Pipelined_commands_parse_one_after_another_and_leave_a_partial_one_unconsumed()
    {
        var bytes = Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET");
        var reader = new SequenceReader<byte>(Segments.OneBytePerSegment(bytes));
        var arguments = new List<ReadOnlySequence<byte>>();
        var seen = new List<string>();
        while (RespParser.TryParse(ref reader, arguments, Limits, out _, out _) == ParseStatus.Command)
            seen.Add(string.Join(' ', arguments.Select(a => Encoding.ASCII.GetString(a.ToArray()))));
        Assert.Equal(["PING", "PING", "GET k"], seen);
    }

    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n+1\r\n", "expected '$', got '+'")]
    [InlineData("*1\r\n$-1\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$-5\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$1001\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$99999999999999999999\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$01\r\nx\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$3\r\nGETX\r\n", "bulk string not followed by CRLF")]
    [InlineData("*x\r\n", "invalid multibulk length")]
    [InlineData("*1001\r\n", "invalid multibulk length")]
    [InlineData("*900\r\n", "invalid multibulk length")]
    [InlineData("*600\r\n$1000\r\n", "command too large")]
    [InlineData("*1\r\n$123456789012345678901234567890123", "invalid bulk length")]
    public void Malformed_or_oversized_commands_are_errors_whatever_the_segments(string request, string message)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        foreach (var sequence in new[] { new ReadOnlySequence<byte>(bytes), Segments.OneBytePerSegment(bytes) })
        {
            var reader = new SequenceReader<byte>(sequence);
            Assert.Equal(ParseStatus.Error, RespParser.TryParse(ref reader, [], Limits, out _, out string? error));
            Assert.Equal("Protocol error: " + message, error);
        }
    }

    [Fact]
    public void An_inline_line_longer_than_the_limit_is_an_error_even_before_its_end_arrives()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('a', 101))));
        Assert.Equal(ParseStatus.Error, RespParser.TryParse(ref reader, [], Limits, out _, out string? error));
        Assert.Equal("Protocol error: too big inline request", error);
        var shorter = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('a', 99))));
        Assert.Equal(ParseStatus.Incomplete, RespParser.TryParse(ref shorter, [], Limits, out _, out _));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Numbers_in_Redis_form_parse_and_format_back(string text, long value)
    {
        Assert.True(RespNumber.TryParse(Encoding.ASCII.GetBytes(text), out long parsed));
        Assert.Equal(value, parsed);
        var buffer = new byte[RespNumber.MaxLength];
        Assert.Equal(text, Encoding.ASCII.GetString(buffer, 0, RespNumber.Format(value, buffer)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData(" 1")]
    [InlineData("1a")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999")]
    public void Numbers_Redis_refuses_are_refused(string text) =>
        Assert.False(RespNumber.TryParse(Encoding.ASCII.GetBytes(text), out _));

    private static string[] ParseWhole(ReadOnlySequence<byte> sequence)
    {
        var reader = new SequenceReader<byte>(sequence);
        var arguments = new List<ReadOnlySequence<byte>>();
        var status = RespParser.TryParse(ref reader, arguments, Limits, out _, out string? error);
        Assert.True(status == ParseStatus.Command, $"{status}: {error}");
        Assert.True(reader.End);
        return arguments.Select(a => Encoding.ASCII.GetString(a.ToArray())).ToArray();
    }
}
