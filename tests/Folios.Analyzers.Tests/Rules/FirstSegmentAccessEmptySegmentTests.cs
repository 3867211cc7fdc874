using Microsoft.CodeAnalysis.Testing;
using static Folios.Analyzers.Tests.Rules.FirstSegmentAccessAnalyzerTests;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.FirstSegmentAccessAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>
/// The first element after a check that the sequence holds data: since .NET 7 no pipe hands out an empty first
/// segment, so by default the check establishes it; <c>folios.sequence_empty_segments = true</c> is for code that
/// consumes hand-built segment chains, which may start with an empty one. More than one element is a split, not an
/// empty segment, and stays reported either way.
/// </summary>
public class FirstSegmentAccessEmptySegmentTests
{
    private const string EmptySegments = "folios.sequence_empty_segments = true";

    public static TheoryData<string> FirstElementAfterADataCheck() =>
    [
        "if (buffer.IsEmpty) return false; value = {|FOLIO010:buffer.FirstSpan[0]|};",
        "if (buffer.Length > 0) value = {|FOLIO010:buffer.First.Span[0]|};",
        "var remaining = buffer.Slice(n); if (remaining.Length > 0) value = {|FOLIO010:remaining.First.Span[0]|};",
        "if (buffer is { IsEmpty: false }) value = {|FOLIO010:buffer.FirstSpan[0]|};",
        "if (buffer.Length < 7) return false; byte kind = {|FOLIO010:buffer.First.Span[0]|}; value = kind;",
        "value = buffer.Length switch { 0 => -1, _ => {|FOLIO010:buffer.FirstSpan[0]|} };",
        "var last = buffer.Slice(buffer.Length - 1, 1); value = {|FOLIO010:last.FirstSpan[0]|};",
    ];

    [Theory]
    [MemberData(nameof(FirstElementAfterADataCheck))]
    public Task By_default_a_check_that_the_sequence_holds_data_establishes_its_first_element(string body) =>
        Verify.Analyze(InMethod(Snippets.Unmarked(body)), withRuntime: false);

    [Theory]
    [MemberData(nameof(FirstElementAfterADataCheck))]
    public Task With_empty_segments_on_it_does_not(string body) =>
        Verify.Analyze(InMethod(body), EmptySegments, withRuntime: false);

    [Theory]
    // No check at all, a check of another sequence, a check that allows empty, or one after the read.
    [InlineData("value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("if (_pending.Length > 0) value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("if (buffer.Length <= 1 && {|FOLIO010:buffer.First.Span[0]|} != (byte)'{') return false;")]
    [InlineData("byte status = {|FOLIO010:buffer.FirstSpan[0]|}; if (buffer.IsEmpty) return false; value = status;")]
    [InlineData("if (buffer.IsEmpty) return false; buffer = Next(); value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    // More than one element: the sequence's length counts every segment, the read only the first.
    [InlineData("if (buffer.Length >= 4) value = {|FOLIO010:buffer.FirstSpan[1]|};")]
    [InlineData("if (!buffer.IsEmpty) value = {|FOLIO010:BinaryPrimitives.ReadInt16BigEndian(buffer.FirstSpan)|};")]
    [InlineData("if (buffer.IsEmpty) return false; value = {|FOLIO010:buffer.FirstSpan[^1]|};")]
    public Task Reports_what_a_data_check_does_not_cover_even_by_default(string body) => Verify.Analyze(InMethod(body), withRuntime: false);

    [Fact]
    public async Task Says_which_assumption_the_option_drops()
    {
        var test = Verify.Create(InMethod("if (buffer.IsEmpty) return false; value = {|#0:buffer.FirstSpan[0]|};"), EmptySegments, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments(
            "buffer.FirstSpan[0]",
            "reads the first element of the first segment of 'buffer', which can be empty although 'buffer' is not: a hand-built sequence may start with an empty segment",
            "Check the span's Length or IsEmpty, or set folios.sequence_empty_segments = false if the sequence comes from a pipe."));
        await test.RunAsync();
    }

    [Fact]
    public async Task Says_an_unchecked_first_element_is_missing_when_no_data_arrived()
    {
        var test = Verify.Create(InMethod("value = {|#0:buffer.FirstSpan[0]|};"), null, withRuntime: false);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO010", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments(
            "buffer.FirstSpan[0]", "reads the first element of the first segment of 'buffer', which is empty when 'buffer' is",
            "Check buffer.IsEmpty (or the span's Length) first."));
        await test.RunAsync();
    }

    /// <summary>Slice steps past empty segments: a slice that starts past the first byte never starts with an empty one.</summary>
    [Fact]
    public void A_slice_of_a_hand_built_chain_steps_past_its_empty_segments()
    {
        var tail = new Segment([7, 8], 1, null);
        var empty = new Segment([], 1, tail);
        var head = new Segment([5], 0, empty);
        var sequence = new System.Buffers.ReadOnlySequence<byte>(head, 0, tail, 2);
        var rest = sequence.Slice(1);
        Assert.Equal(2, rest.Length);
        Assert.Equal(7, rest.FirstSpan[0]);
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
}
