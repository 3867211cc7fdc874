using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.FirstSegmentAccessAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>FOLIO010 in the shapes protocol parsers take; every test compiles without Folios referenced.</summary>
public class FirstSegmentAccessAnalyzerTests
{
    [Theory]
    [InlineData("value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("var span = buffer.FirstSpan; value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(span)|};")]
    [InlineData("value = {|FOLIO010:BinaryPrimitives.ReadInt32BigEndian(buffer.FirstSpan.Slice(4))|};")]
    [InlineData("value = {|FOLIO010:buffer.First.Span[3]|};")]
    [InlineData("ReadOnlyMemory<byte> first = buffer.First; value = {|FOLIO010:first.Span[2]|};")]
    [InlineData("value = {|FOLIO010:_pending.FirstSpan[1]|};")]
    [InlineData("var header = {|FOLIO010:buffer.FirstSpan.Slice(0, 8)|}; value = header[0] + header[7];")]
    [InlineData("var header = {|FOLIO010:buffer.FirstSpan[..8]|}; value = header.Length;")]
    [InlineData("var id = {|FOLIO010:buffer.FirstSpan.Slice(2, 16).ToArray()|}; value = id.Length;")]
    [InlineData("{|FOLIO010:buffer.FirstSpan.Slice(4, n).CopyTo(destination)|};")]
    [InlineData("if (TryParseHeader({|FOLIO010:buffer.FirstSpan.Slice(0, 5)|}, out value)) return true;")]
    [InlineData("var guid = {|FOLIO010:MemoryMarshal.Read<Guid>(buffer.FirstSpan)|}; value = guid.GetHashCode();")]
    [InlineData("int Peek() => {|FOLIO010:buffer.FirstSpan[0]|}; value = Peek();")]
    // The sequence's Length says nothing about how its bytes are split (empty first segments: FirstSegmentAccessEmptySegmentTests).
    [InlineData("if (buffer.Length < 4) return false; value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};")]
    // A check that does not cover the read, or covers another sequence, or is stale.
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 4) return false; value = (int){|FOLIO010:BinaryPrimitives.ReadInt64LittleEndian(span)|};")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 4) { } else { value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(span)|}; }")]
    [InlineData("if (_pending.IsSingleSegment) value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("value = (buffer.IsSingleSegment, _pending.IsSingleSegment) switch { (false, true) => {|FOLIO010:buffer.FirstSpan[0]|}, _ => 0 };")]
    // A parser's end position can sit at the end of a segment, or at the end of the data.
    [InlineData("var end = buffer.GetPosition(n); var trailer = {|FOLIO010:buffer.Slice(end).FirstSpan[0]|}; value = trailer;")]
    [InlineData("if (buffer.IsSingleSegment) return false; value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("if (!buffer.IsSingleSegment) return false; buffer = _pending; value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("if (buffer.FirstSpan.Length < 4) return false; buffer = buffer.Slice(2); value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};")]
    // Ends, copies, comparisons and searches.
    [InlineData("value = {|FOLIO010:buffer.FirstSpan[^1]|};")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 4) return false; var trailer = {|FOLIO010:span[^4..]|}; value = trailer[0];")]
    [InlineData("var all = new byte[buffer.Length]; {|FOLIO010:buffer.FirstSpan.CopyTo(all)|}; value = all[0];")]
    [InlineData("Span<byte> all = stackalloc byte[(int)buffer.Length]; {|FOLIO010:buffer.First.Span.CopyTo(all)|}; value = all[0];")]
    [InlineData("int newline = {|FOLIO010:buffer.FirstSpan.IndexOf((byte)'\\n')|}; if (newline < 0) return false; value = newline;")]
    [InlineData("value = {|FOLIO010:buffer.FirstSpan.IndexOfAny((byte)'\\r', (byte)'\\n')|};")]
    [InlineData("value = {|FOLIO010:buffer.FirstSpan.LastIndexOf((byte)',')|};")]
    [InlineData("if ({|FOLIO010:buffer.FirstSpan.StartsWith(\"GET \"u8)|}) value = 1;")]
    [InlineData("var s = buffer.FirstSpan; if (s.Length >= 2 && {|FOLIO010:s.EndsWith(\"\\r\\n\"u8)|}) value = 1;")]
    public Task Reports_reads_the_first_segment_may_not_hold(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("if (buffer.IsSingleSegment) value = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan);")]
    [InlineData("if (!buffer.IsSingleSegment) return false; var span = buffer.FirstSpan; value = span[0] + span[^1];")]
    [InlineData("value = buffer.IsSingleSegment ? buffer.FirstSpan[0] : 0;")]
    [InlineData("if (buffer.IsSingleSegment && buffer.FirstSpan.StartsWith(\"GET \"u8)) value = 1;")]
    [InlineData("if (!buffer.IsSingleSegment || buffer.FirstSpan.IndexOf((byte)0) < 0) return false;")]
    [InlineData("if (buffer.IsSingleSegment) { var body = buffer.Slice(2); value = body.FirstSpan[0]; }")]
    [InlineData("if (!buffer.IsSingleSegment) return false; buffer = buffer.Slice(1); value = buffer.FirstSpan[0];")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 4) return false; value = BinaryPrimitives.ReadInt32LittleEndian(span);")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 8) value = (int)BinaryPrimitives.ReadInt64LittleEndian(span);")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 4) { return false; } int length = BinaryPrimitives.ReadInt32LittleEndian(span); if (span.Length < 4 + length) return false; return TryParseHeader(span.Slice(4, length), out value);")]
    [InlineData("if (buffer.First.Length >= 2) value = buffer.First.Span[1];")]
    [InlineData("System.Diagnostics.Debug.Assert(buffer.IsSingleSegment); var bytes = buffer.FirstSpan; value = bytes[0];")]
    [InlineData("var span = buffer.FirstSpan; int available = span.Length; if (available < 2) return false; value = span[1];")]
    [InlineData("var span = buffer.FirstSpan; for (int i = 0; i < span.Length; i++) value += span[i];")]
    [InlineData("var span = buffer.FirstSpan; while (span.Length >= 4) { value += BinaryPrimitives.ReadInt32LittleEndian(span); span = span.Slice(4); }")]
    [InlineData("var span = buffer.FirstSpan; var head = span.Slice(0, Math.Min(span.Length, 16)); value = head.Length;")]
    [InlineData("var span = buffer.FirstSpan; if (span.IsEmpty) return false; value = span[0];")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 5 && TryParseHeader(span.Slice(0, 5), out value)) return true;")]
    [InlineData("var span = buffer.FirstSpan; int i = span.IndexOf((byte)'\\n'); if (i >= 0) { value = span.Slice(0, i).Length; return true; } value = buffer.PositionOf((byte)'\\n') is null ? -1 : 0;")]
    [InlineData("int zero = buffer.FirstSpan.IndexOf((byte)0); if (zero < 0) return ParseSlow(buffer, out value); value = zero;")]
    [InlineData("if (buffer.IsSingleSegment) value = buffer.FirstSpan.LastIndexOf((byte)',');")]
    [InlineData("value = buffer.IsSingleSegment switch { true => buffer.FirstSpan[0], false => ParseSlow(buffer, out int v) ? v : 0 };")]
    [InlineData("value = (buffer.IsSingleSegment, _pending.IsSingleSegment) switch { (true, true) => buffer.FirstSpan.SequenceEqual(_pending.FirstSpan) ? 1 : 0, (true, false) => buffer.FirstSpan[0], _ => 0 };")]
    [InlineData("var sequence = new ReadOnlySequence<byte>(destination); value = BinaryPrimitives.ReadInt32LittleEndian(sequence.FirstSpan);")]
    [InlineData("var sequence = new ReadOnlySequence<byte>(destination.AsMemory()).Slice(4); value = sequence.FirstSpan[0];")]
    [InlineData("var reader = new SequenceReader<byte>(buffer); if (reader.TryReadLittleEndian(out int v)) value = v;")]
    [InlineData("var reader = new SequenceReader<byte>(buffer); while (reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\\n')) value += line.Length > 0 ? line[0] : 0;")]
    // A reader's UnreadSpan is a raw view of one segment; read after a check of its own length, as the doc advises.
    [InlineData("var reader = new SequenceReader<byte>(buffer); value = reader.UnreadSpan.Length > 0 ? reader.UnreadSpan[0] : 0;")]
    [InlineData("var position = buffer.Start; while (buffer.TryGet(ref position, out var memory)) value += memory.Length;")]
    [InlineData("foreach (var segment in buffer) value += segment.Span.IndexOf((byte)0);")]
    [InlineData("Span<byte> header = stackalloc byte[4]; buffer.Slice(0, 4).CopyTo(header); value = BinaryPrimitives.ReadInt32LittleEndian(header);")]
    // Out of scope by decision (see the rule's doc): the view passed whole to a method that is no number parser, Try*
    // decoders, a copy into a buffer of its own size.
    [InlineData("value = Encoding.UTF8.GetString(buffer.FirstSpan).Length;")]
    [InlineData("TryParseHeader(buffer.FirstSpan.Slice(2), out value);")]
    [InlineData("BinaryPrimitives.TryReadInt32LittleEndian(buffer.FirstSpan, out value);")]
    [InlineData("buffer.FirstSpan.CopyTo(destination);")]
    [InlineData("value = buffer.FirstSpan.Length + buffer.First.Length;")]
    public Task Stays_silent_where_the_segment_is_established(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    // Remaining counts every segment; UnreadSpan is the current one.
    [InlineData("if (reader.Remaining < 4) return false; value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(reader.UnreadSpan)|};")]
    [InlineData("var span = reader.UnreadSpan; var header = {|FOLIO010:span.Slice(0, 8)|}; value = header[7];")]
    [InlineData("value = {|FOLIO010:reader.UnreadSpan.IndexOf((byte)'\\n')|};")]
    [InlineData("if ({|FOLIO010:reader.UnreadSpan.StartsWith(\"PING\"u8)|}) value = 1;")]
    [InlineData("value = {|FOLIO010:reader.CurrentSpan[reader.CurrentSpanIndex + 3]|};")]
    // The reader moved after the check: its current segment is another one.
    [InlineData("if (reader.UnreadSpan.Length < 4) return false; reader.Advance(2); value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(reader.UnreadSpan)|};")]
    public Task Reports_reads_of_a_readers_current_segment(string body) => Verify.Analyze(WithReader(body), withRuntime: false);

    [Theory]
    [InlineData("var span = reader.UnreadSpan; if (span.Length >= 4) value = BinaryPrimitives.ReadInt32LittleEndian(span); else if (!reader.TryReadLittleEndian(out value)) return false;")]
    [InlineData("if (reader.UnreadSpan.Length >= 8) value = (int)BinaryPrimitives.ReadInt64LittleEndian(reader.UnreadSpan);")]
    // A reader never rests on an empty segment: with data left, its UnreadSpan holds a byte.
    [InlineData("if (reader.End) return false; value = reader.UnreadSpan[0];")]
    [InlineData("if (reader.Remaining > 0) value = reader.UnreadSpan[0];")]
    [InlineData("if (reader.Sequence.IsSingleSegment) value = BinaryPrimitives.ReadInt32LittleEndian(reader.UnreadSpan);")]
    [InlineData("int newline = reader.UnreadSpan.IndexOf((byte)'\\n'); if (newline < 0 && !reader.TryAdvanceTo((byte)'\\n')) return false; value = newline;")]
    [InlineData("if (reader.IsNext(\"PING\"u8, advancePast: true)) value = 1;")]
    [InlineData("value = reader.UnreadSpan.Length;")]
    public Task Stays_silent_on_checked_reads_of_a_readers_current_segment(string body) => Verify.Analyze(WithReader(body), withRuntime: false);

    private static string WithReader(string body) => InMethod("var reader = new SequenceReader<byte>(buffer); " + body);

    [Fact]
    public Task Reports_in_an_async_read_loop_until_the_frame_length_is_checked_on_the_segment() => Verify.Analyze(Usings + """
        class Connection
        {
            readonly Func<Task<(ReadOnlySequence<byte> Buffer, bool Done)>> _read;
            readonly Action<SequencePosition> _advance;
            public Connection(Func<Task<(ReadOnlySequence<byte>, bool)>> read, Action<SequencePosition> advance) { _read = read; _advance = advance; }

            public async Task<int> NextFrameLengthAsync()
            {
                while (true)
                {
                    var result = await _read();
                    var buffer = result.Buffer;
                    if (buffer.Length >= 4)
                    {
                        int length = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};
                        _advance(buffer.GetPosition(4));
                        return length;
                    }
                    if (result.Done)
                        return -1;
                    _advance(buffer.Start);
                }
            }

            public async Task<int> NextFrameLengthCheckedAsync()
            {
                var result = await _read();
                var buffer = result.Buffer;
                if (buffer.First.Length >= 4)
                    return BinaryPrimitives.ReadInt32LittleEndian(buffer.First.Span);
                return Slow(buffer);
            }

            static int Slow(ReadOnlySequence<byte> buffer) { Span<byte> four = stackalloc byte[4]; buffer.Slice(0, 4).CopyTo(four); return BinaryPrimitives.ReadInt32LittleEndian(four); }
        }
        """, withRuntime: false);

    [Fact]
    public Task Reports_reads_of_a_result_property_and_in_generic_parsers() => Verify.Analyze(Usings + """
        readonly record struct ReadResult(ReadOnlySequence<byte> Buffer);
        static class Parsers
        {
            public static byte Kind(ReadResult result) => {|FOLIO010:result.Buffer.FirstSpan[0]|};
            public static byte CheckedKind(ReadResult result) => result.Buffer.IsSingleSegment ? result.Buffer.FirstSpan[0] : (byte)0;
            public static T Head<T>(ReadOnlySequence<T> items) => {|FOLIO010:items.FirstSpan[0]|};
            public static T CheckedHead<T>(ReadOnlySequence<T> items) => items.FirstSpan.Length > 0 ? items.FirstSpan[0] : default!;
        }
        """, withRuntime: false);


    [Fact]
    public Task Reports_the_same_code_with_Folios_referenced() => Verify.Analyze(InMethod("value = {|FOLIO010:buffer.FirstSpan[0]|};"));

    [Fact]
    public async Task Explains_what_went_wrong_and_what_to_do()
    {
        var test = Verify.Create(InMethod("value = {|#0:buffer.FirstSpan.IndexOf((byte)'\\n')|};"), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments(
            "buffer.FirstSpan.IndexOf((byte)'\\n')", "searches only the first segment of 'buffer': a miss there is not a miss in the data",
            "Search the sequence (buffer.PositionOf, SequenceReader<T>.TryReadTo), or check buffer.IsSingleSegment first."));
        await test.RunAsync();
    }

    [Fact]
    public Task Survives_incomplete_code() => Verify.AnalyzeIncomplete(InMethod("value = buffer.FirstSpan[; var s = buffer.First.Span.Slice(; if (buffer.FirstSpan.Length <"));

    /// <summary>Why folios.sequence_empty_segments exists: a hand-built chain can hold data after an empty first segment.</summary>
    [Fact]
    public void A_sequence_with_data_can_start_with_an_empty_segment()
    {
        var tail = new Segment(new byte[] { 42 }, 0, null);
        var head = new Segment(Array.Empty<byte>(), 0, tail);
        var sequence = new System.Buffers.ReadOnlySequence<byte>(head, 0, tail, 1);
        Assert.Equal(1, sequence.Length);
        Assert.False(sequence.IsEmpty);
        Assert.Equal(0, sequence.First.Length);
        Assert.Throws<IndexOutOfRangeException>(() => sequence.FirstSpan[0]);
    }

    private sealed class Segment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex, Segment? next)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
            Next = next;
        }
    }

    internal const string Usings = "using System;\nusing System.Buffers;\nusing System.Buffers.Binary;\nusing System.Buffers.Text;\nusing System.Runtime.CompilerServices;\nusing System.Runtime.InteropServices;\nusing System.Text;\nusing System.Threading.Tasks;\n";

    internal static string InMethod(string body) => Usings + $$"""
        class Parser
        {
            ReadOnlySequence<byte> _pending;

            bool Handle(ReadOnlySequence<byte> buffer, byte[] destination, int n, out int value)
            {
                value = 0;
                {{body}}
                return true;
            }

            static bool TryParseHeader(ReadOnlySpan<byte> header, out int length) { length = header.Length; return length > 0; }

            static bool ParseSlow(ReadOnlySequence<byte> buffer, out int value) { value = (int)buffer.Length; return true; }

            ReadOnlySequence<byte> Next() => _pending;
        }
        """;
}
