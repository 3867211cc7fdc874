using Microsoft.CodeAnalysis.Testing;
using static Folios.Analyzers.Tests.Rules.FirstSegmentAccessAnalyzerTests;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.FirstSegmentAccessAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>
/// FOLIO010 on the ways parsers state a check (patterns, switch arms, reassignment) and the reads they make (list
/// patterns, casts, references, number parsers): each check is read by the shared <c>Conditions</c>, each shape has a
/// report where the check is missing or too short and none where it holds.
/// </summary>
public class FirstSegmentAccessShapeTests
{
    [Theory]
    // Relational and property patterns on the segment's length.
    [InlineData("var span = buffer.FirstSpan; if (span.Length is >= 8) value = (int)BinaryPrimitives.ReadInt64LittleEndian(span);")]
    [InlineData("if (buffer.FirstSpan is { Length: >= 4 } header) value = BinaryPrimitives.ReadInt32BigEndian(header);")]
    [InlineData("if (buffer.FirstSpan is not { Length: >= 4 } header) return ParseSlow(buffer, out value); value = BinaryPrimitives.ReadInt32BigEndian(header);")]
    [InlineData("if (buffer.FirstSpan is var span && span.Length >= 2) value = span[0] << 8 | span[1];")]
    // Switch-expression arms on the length: the arm's own pattern, or the arms before it that failed.
    [InlineData("var span = buffer.FirstSpan; value = span.Length switch { >= 4 => BinaryPrimitives.ReadInt32LittleEndian(span), _ => -1 };")]
    [InlineData("var span = buffer.FirstSpan; value = span.Length switch { < 4 => -1, _ => BinaryPrimitives.ReadInt32LittleEndian(span) };")]
    [InlineData("var span = buffer.FirstSpan; value = span.Length switch { 0 => -1, 1 => span[0], _ => span[0] << 8 | span[1] };")]
    // IsSingleSegment and Length tested together.
    [InlineData("if (buffer is { IsSingleSegment: true, Length: >= 8 }) value = (int)BinaryPrimitives.ReadInt64BigEndian(buffer.FirstSpan);")]
    [InlineData("if (buffer is not { IsSingleSegment: true }) return ParseSlow(buffer, out value); value = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan);")]
    [InlineData("if (buffer.IsSingleSegment is false) return ParseSlow(buffer, out value); value = buffer.FirstSpan[^1];")]
    // A sequence made single-segment on every path before the read.
    [InlineData("if (!buffer.IsSingleSegment) buffer = new ReadOnlySequence<byte>(buffer.ToArray()); value = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan);")]
    [InlineData("if (!buffer.IsSingleSegment) { var copy = buffer.ToArray(); buffer = new ReadOnlySequence<byte>(copy); } value = buffer.FirstSpan[^1];")]
    [InlineData("buffer = new ReadOnlySequence<byte>(buffer.ToArray()); value = buffer.FirstSpan.LastIndexOf((byte)',');")]
    [InlineData("if (buffer.IsSingleSegment) { } else if (buffer.Length > 1024) return false; else buffer = new ReadOnlySequence<byte>(buffer.ToArray()); value = buffer.FirstSpan[^1];")]
    public Task Stays_silent_where_a_pattern_an_arm_or_an_assignment_establishes_the_segment(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("var span = buffer.FirstSpan; if (span.Length is >= 4) value = (int){|FOLIO010:BinaryPrimitives.ReadInt64LittleEndian(span)|};")]
    [InlineData("if (buffer.FirstSpan is { Length: >= 2 } header) value = {|FOLIO010:BinaryPrimitives.ReadInt32BigEndian(header)|};")]
    [InlineData("if (buffer.FirstSpan is not { Length: >= 2 } header) return ParseSlow(buffer, out value); value = {|FOLIO010:BinaryPrimitives.ReadInt32BigEndian(header)|};")]
    [InlineData("if (buffer.FirstSpan is var span && span.Length >= 1) value = span[0] << 8 | {|FOLIO010:span[1]|};")]
    [InlineData("var span = buffer.FirstSpan; value = span.Length switch { >= 2 => {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(span)|}, _ => -1 };")]
    [InlineData("var span = buffer.FirstSpan; value = span.Length switch { 0 => -1, _ => span[0] << 8 | {|FOLIO010:span[1]|} };")]
    // A guarded arm that failed says nothing: its guard may have been what failed.
    [InlineData("var span = buffer.FirstSpan; value = span.Length switch { < 4 when n > 0 => -1, _ => {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(span)|} };")]
    [InlineData("if (buffer is { IsSingleSegment: false, Length: >= 8 }) value = (int){|FOLIO010:BinaryPrimitives.ReadInt64BigEndian(buffer.FirstSpan)|};")]
    [InlineData("if (buffer is { IsSingleSegment: true } || n > 0) value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};")]
    // Not on every path, or written again after.
    [InlineData("if (buffer.Length > 64) buffer = new ReadOnlySequence<byte>(buffer.ToArray()); value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};")]
    [InlineData("if (!buffer.IsSingleSegment) buffer = new ReadOnlySequence<byte>(buffer.ToArray()); buffer = Next(); value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};")]
    [InlineData("if (!buffer.IsSingleSegment) ParseSlow(buffer, out _); value = {|FOLIO010:buffer.FirstSpan[^1]|};")]
    public Task Reports_where_the_pattern_the_arm_or_the_assignment_falls_short(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    // A list pattern compares the segment's first bytes: a split makes it fail, as StartsWith does.
    [InlineData("if ({|FOLIO010:buffer.FirstSpan is [0x89, (byte)'P', (byte)'N', (byte)'G', ..]|}) value = 1;")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 1 && {|FOLIO010:span is [0x1F, 0x8B, ..]|}) value = 1;")]
    [InlineData("value = {|FOLIO010:buffer.FirstSpan|} switch { [0x1F, 0x8B, ..] => 1, [(byte)'P', (byte)'K', ..] => 2, _ => 0 };")]
    // A cast of the segment indexed up to a count taken from the whole sequence.
    [InlineData("var words = MemoryMarshal.Cast<byte, int>(buffer.FirstSpan); int count = (int)(buffer.Length / 4); for (int i = 0; i < count; i++) value += {|FOLIO010:words[i]|};")]
    [InlineData("var words = MemoryMarshal.Cast<byte, int>(buffer.FirstSpan); if (buffer.FirstSpan.Length < 8) return false; value = words[0] + words[1] + {|FOLIO010:words[2]|};")]
    // A header checked on the segment, then a payload sliced from it after a check of the sequence only.
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 4) return false; int length = BinaryPrimitives.ReadInt32LittleEndian(span); if (buffer.Length < 4 + length) return false; return TryParseHeader({|FOLIO010:span.Slice(4, length)|}, out value);")]
    // A number parsed from a line's first segment reads the digits that segment holds, and succeeds.
    [InlineData("var line = buffer.Slice(0, buffer.PositionOf((byte)'\\r') ?? buffer.End); {|FOLIO010:Utf8Parser.TryParse(line.FirstSpan[1..], out value, out _)|};")]
    [InlineData("{|FOLIO010:Utf8Parser.TryParse(buffer.FirstSpan, out value, out _)|};")]
    [InlineData("value = {|FOLIO010:int.Parse(buffer.FirstSpan.Slice(1))|};")]
    // An offset bounded, but past the check.
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 16) return false; var head = {|FOLIO010:span.Slice(0, Math.Min(n, 32))|}; value = head.Length;")]
    // A comparison longer than the check that precedes it.
    [InlineData("var span = buffer.FirstSpan; if (span.Length > 0 && span[0] == (byte)'*' && {|FOLIO010:span.StartsWith(\"*3\\r\\n\"u8)|}) value = 3;")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 2 && {|FOLIO010:span.SequenceEqual(new byte[] { 1, 2, 3 })|}) value = 3;")]
    // Unsafe reads through a reference to the segment's first byte.
    [InlineData("value = {|FOLIO010:Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(buffer.FirstSpan))|};")]
    [InlineData("var span = buffer.FirstSpan; ref byte start = ref MemoryMarshal.GetReference(span); if (span.Length < 4) return false; value = {|FOLIO010:Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref start, 2))|};")]
    // A check after the read establishes nothing (a reply whose body may be empty, checked too late).
    [InlineData("byte status = {|FOLIO010:buffer.FirstSpan[0]|}; if (buffer.Length < 7) return false; value = status;")]
    [InlineData("var span = buffer.FirstSpan; value = {|FOLIO010:BinaryPrimitives.ReadInt16BigEndian(span)|}; if (span.Length < 2) return false;")]
    public Task Reports_the_reads_parsers_make_of_the_first_segment(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("if (buffer.IsSingleSegment && buffer.FirstSpan is [0x89, (byte)'P', ..]) value = 1;")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 8 && span is [0x89, (byte)'P', (byte)'N', (byte)'G', ..]) value = 1;")]
    [InlineData("var span = buffer.FirstSpan; value = span.Length < 2 ? 0 : span switch { [0x1F, 0x8B, ..] => 1, _ => 0 };")]
    [InlineData("var words = MemoryMarshal.Cast<byte, int>(buffer.FirstSpan); for (int i = 0; i < words.Length; i++) value += words[i];")]
    [InlineData("if (!buffer.IsSingleSegment) return false; var words = MemoryMarshal.Cast<byte, int>(buffer.FirstSpan); int count = (int)(buffer.Length / 4); for (int i = 0; i < count; i++) value += words[i];")]
    [InlineData("var words = MemoryMarshal.Cast<byte, int>(buffer.FirstSpan); if (buffer.FirstSpan.Length < 12) return false; value = words[0] + words[1] + words[2];")]
    [InlineData("var span = buffer.FirstSpan; for (int i = 0; i < 4; i++) { if (span.Length < 4) return false; value += span[i]; }")]
    [InlineData("var line = buffer.Slice(0, buffer.PositionOf((byte)'\\r') ?? buffer.End); if (line.IsSingleSegment) Utf8Parser.TryParse(line.FirstSpan[1..], out value, out _);")]
    [InlineData("var span = buffer.FirstSpan; int end = span.IndexOf((byte)'\\r'); if (end < 0) return ParseSlow(buffer, out value); Utf8Parser.TryParse(span[1..end], out value, out _);")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 4 && span.StartsWith(\"*3\\r\\n\"u8)) value = 3;")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length >= 4) value = Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(span));")]
    [InlineData("var span = buffer.FirstSpan; ref byte start = ref MemoryMarshal.GetReference(span); if (span.Length < 6) return false; value = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref start, 2));")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 2) return false; value = BinaryPrimitives.ReadInt16BigEndian(span);")]
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 16) return false; var head = span.Slice(0, Math.Min(n, 16)); value = head.Length;")]
    public Task Stays_silent_where_those_reads_are_established(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    // A search after only the first byte was checked: the byte is there, the terminator may be in the next segment.
    [InlineData("var span = buffer.FirstSpan; if (span.Length > 0 && span[0] == (byte)'+') value = {|FOLIO010:span.IndexOf((byte)'\\r')|};")]
    [InlineData("if (!buffer.IsEmpty && buffer.FirstSpan[0] == (byte)'$') value = {|FOLIO010:buffer.FirstSpan.IndexOf((byte)'\\n')|};")]
    [InlineData("var reader = new SequenceReader<byte>(buffer); if (reader.IsNext((byte)'$')) value = {|FOLIO010:reader.UnreadSpan.IndexOf((byte)'\\n')|};")]
    [InlineData("var reader = new SequenceReader<byte>(buffer); if (reader.TryPeek(out byte first) && first == (byte)'+') value = {|FOLIO010:reader.UnreadSpan.IndexOf((byte)'\\r')|};")]
    public Task Reports_a_search_after_only_the_first_byte_was_checked(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("var span = buffer.FirstSpan; if (span.Length > 0 && span[0] == (byte)'+') { int end = span.IndexOf((byte)'\\r'); if (end < 0) return ParseSlow(buffer, out value); value = end; }")]
    [InlineData("if (buffer.IsSingleSegment && !buffer.IsEmpty && buffer.FirstSpan[0] == (byte)'$') value = buffer.FirstSpan.IndexOf((byte)'\\n');")]
    [InlineData("var reader = new SequenceReader<byte>(buffer); if (reader.IsNext((byte)'$')) { int end = reader.UnreadSpan.IndexOf((byte)'\\n'); if (end < 0 && !reader.TryAdvanceTo((byte)'\\n')) return false; value = end; }")]
    public Task Stays_silent_on_a_first_byte_check_followed_by_a_search_with_a_fallback(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    // A segment's memory captured by a lambda or a local function is followed into it.
    [InlineData("var first = buffer.First; Func<int> peek = () => {|FOLIO010:first.Span[1]|}; value = peek();")]
    [InlineData("var first = buffer.First; int Peek() => {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(first.Span)|}; value = Peek();")]
    [InlineData("ReadOnlyMemory<byte> first = buffer.First; value = first.Length > 0 ? Task.Run(() => {|FOLIO010:first.Span[^1]|}).Result : 0;")]
    public Task Follows_the_segment_into_lambdas_and_local_functions(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    [InlineData("var first = buffer.First; Func<int> peek = () => first.Length >= 2 ? first.Span[1] : -1; value = peek();")]
    [InlineData("var first = buffer.First; int Peek() => first.Span.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(first.Span) : -1; value = Peek();")]
    public Task Stays_silent_where_the_lambda_checks_the_segment_itself(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Theory]
    // A clamp through the long overload and a cast, and a second clamp after a correct first one.
    [InlineData("var span = buffer.FirstSpan; long remaining = buffer.Length - n; int take = (int)Math.Min(remaining, span.Length); span.Slice(0, take).CopyTo(destination);")]
    [InlineData("var span = buffer.FirstSpan; int take = Math.Min(n, span.Length); take = Math.Min(take, destination.Length); span.Slice(0, take).CopyTo(destination);")]
    [InlineData("var span = buffer.FirstSpan; int take = Math.Min(n, span.Length - 2); if (take > 4) take--; span.Slice(2, take).CopyTo(destination);")]
    // A span taken out of a reader keeps its bytes when the reader moves on.
    [InlineData("var reader = new SequenceReader<byte>(buffer); var span = reader.UnreadSpan; if (span.Length < 8) return false; reader.Advance(4); value = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(4));")]
    // A ref argument that the callee never assigns leaves the check standing.
    [InlineData("if (buffer.Length < 2 || !HasHeader(ref buffer)) return false; value = buffer.First.Span[0];")]
    public Task Stays_silent_on_clamps_copies_and_calls_that_keep_the_check(string body) => Verify.Analyze(WithHelpers(body), withRuntime: false);

    [Theory]
    [InlineData("var span = buffer.FirstSpan; int take = (int)Math.Min(buffer.Length, n); {|FOLIO010:span.Slice(0, take).CopyTo(destination)|};")]
    [InlineData("var span = buffer.FirstSpan; int take = Math.Min(n, span.Length); take += 2; {|FOLIO010:span.Slice(0, take).CopyTo(destination)|};")]
    [InlineData("var reader = new SequenceReader<byte>(buffer); if (reader.UnreadSpan.Length < 8) return false; reader.Advance(4); value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(reader.UnreadSpan)|};")]
    [InlineData("if (buffer.Length < 2 || !SkipHeader(ref buffer)) return false; value = {|FOLIO010:buffer.First.Span[0]|};")]
    // The check was of the segment before the loop; each pass reads the segment of the sequence as it is then.
    [InlineData("var span = buffer.FirstSpan; if (span.Length < 4) return false; while (n-- > 0) { value += {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|}; buffer = buffer.Slice(4); }")]
    public Task Reports_where_the_clamp_or_the_check_no_longer_holds(string body) => Verify.Analyze(WithHelpers(body), withRuntime: false);

    [Fact]
    public async Task Reports_one_missing_check_once_at_the_first_read_naming_the_others()
    {
        var test = Verify.Create(InMethod("""
            var header = buffer.FirstSpan;
            byte version = {|#0:header[0]|};
            byte flags = {|#1:header[1]|};
            byte kind = {|#2:header[2]|};
            ushort id = {|#3:BinaryPrimitives.ReadUInt16BigEndian(header.Slice(3))|};
            byte hops = {|#4:header[5]|};
            byte ttl = {|#5:header[6]|};
            value = version + flags + kind + id + hops + ttl + {|#6:header[7]|};
            """), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4).WithLocation(5).WithLocation(6)
            .WithArguments("header[0]", "needs 8 bytes of the first segment of 'buffer', which may hold fewer: a sequence splits anywhere, and is empty until data arrives",
                "Check buffer.IsSingleSegment or the span's Length first, or read through the sequence (buffer.Slice(offset, length).CopyTo, SequenceReader<T>.TryReadLittleEndian). 6 more reads need the same check (lines 18, 19, 20, 21, 22, 23)."));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_reads_that_need_different_checks_separately()
    {
        var test = Verify.Create(InMethod("""
            var span = buffer.FirstSpan;
            if ({|#0:span[0]|} == (byte)'$' && {|#1:span[1]|} == (byte)'-')
                value = {|#2:span.IndexOf((byte)'\n')|};
            """), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithLocation(1));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(2));
        await test.RunAsync();
    }

    [Fact]
    public async Task Says_a_short_segment_can_break_a_read_the_sequence_length_covers()
    {
        var test = Verify.Create(InMethod("if (buffer.Length < 8) return false; value = {|#0:BinaryPrimitives.ReadInt32BigEndian(buffer.FirstSpan.Slice(4))|};"), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments(
            "BinaryPrimitives.ReadInt32BigEndian(buffer.FirstSpan.Slice(4))",
            "needs 8 bytes of the first segment of 'buffer'; 'buffer' holds that many, but its first segment may hold fewer: a sequence splits anywhere",
            "Check buffer.IsSingleSegment or the span's Length first, or read through the sequence (buffer.Slice(offset, length).CopyTo, SequenceReader<T>.TryReadLittleEndian)."));
        await test.RunAsync();
    }

    [Fact]
    public Task A_switch_statement_on_the_length_is_a_guard_too() => Verify.Analyze(InMethod("""
        var span = buffer.FirstSpan;
        switch (span.Length)
        {
            case < 2:
                return false;
            case 2:
                value = BinaryPrimitives.ReadInt16BigEndian(span);
                break;
            default:
                value = {|FOLIO010:BinaryPrimitives.ReadInt32BigEndian(span)|};
                break;
        }
        """), withRuntime: false);

    private static string WithHelpers(string body) => InMethod(body).Replace(
        "ReadOnlySequence<byte> Next() => _pending;",
        """
        ReadOnlySequence<byte> Next() => _pending;

            static bool HasHeader(ref ReadOnlySequence<byte> frame) => frame.Length > 1 && frame.Slice(1).IsSingleSegment;

            static bool SkipHeader(ref ReadOnlySequence<byte> frame) { frame = frame.Slice(1); return !frame.IsEmpty; }
        """, StringComparison.Ordinal);
}
