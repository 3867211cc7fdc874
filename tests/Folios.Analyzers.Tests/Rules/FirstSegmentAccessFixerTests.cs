using Folios.CodeFixes.Rules;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.FirstSegmentAccessAnalyzer, Folios.CodeFixes.Rules.FirstSegmentAccessFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class FirstSegmentAccessFixerTests
{
    [Theory]
    [InlineData(
        "value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|};",
        "value = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan.Length >= 4 ? buffer.FirstSpan : buffer.Slice(0, 4).ToArray());")]
    [InlineData(
        "value = {|FOLIO010:BinaryPrimitives.ReadUInt16BigEndian(buffer.First.Span.Slice(n))|};",
        "value = BinaryPrimitives.ReadUInt16BigEndian(buffer.First.Span.Length >= n + 2 ? buffer.First.Span.Slice(n) : buffer.Slice(n, 2).ToArray());")]
    [InlineData(
        "long id = {|FOLIO010:BinaryPrimitives.ReadInt64LittleEndian(_pending.FirstSpan.Slice(n + 1))|};",
        "long id = BinaryPrimitives.ReadInt64LittleEndian(_pending.FirstSpan.Length >= (n + 1) + 8 ? _pending.FirstSpan.Slice(n + 1) : _pending.Slice(n + 1, 8).ToArray());")]
    public Task A_decode_keeps_the_first_segment_as_its_fast_path(string body, string expected) =>
        Fix(FirstSegmentAccessFixer.DecodeKey, body, expected);

    [Theory]
    [InlineData(
        "{|FOLIO010:buffer.FirstSpan.Slice(4, n).CopyTo(destination)|};",
        "buffer.Slice(4, n).CopyTo(destination);")]
    [InlineData(
        "var id = {|FOLIO010:buffer.First.Span.Slice(2, 16).ToArray()|}; value = id.Length;",
        "var id = buffer.Slice(2, 16).ToArray(); value = id.Length;")]
    [InlineData(
        "var all = new byte[buffer.Length]; {|FOLIO010:buffer.FirstSpan.CopyTo(all)|}; value = all[0];",
        "var all = new byte[buffer.Length]; buffer.CopyTo(all); value = all[0];")]
    public Task A_copy_goes_through_the_sequence(string body, string expected) =>
        Fix(FirstSegmentAccessFixer.CopyKey, body, expected);

    [Theory]
    [InlineData("var span = buffer.FirstSpan; value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(span)|};")]
    [InlineData("value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(Next().FirstSpan)|};")]
    [InlineData("value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan.Slice(n++))|};")]
    [InlineData("value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan.Slice(2, 4))|};")]
    [InlineData("value = {|FOLIO010:buffer.FirstSpan[0]|};")]
    [InlineData("int newline = {|FOLIO010:buffer.FirstSpan.IndexOf((byte)'\\n')|}; value = newline;")]
    [InlineData("var guid = {|FOLIO010:MemoryMarshal.Read<Guid>(buffer.FirstSpan)|}; value = guid.GetHashCode();")]
    [InlineData("value = {|FOLIO010:Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(buffer.FirstSpan))|};")]
    [InlineData("{|FOLIO010:Utf8Parser.TryParse(buffer.FirstSpan, out value, out _)|};")]
    [InlineData("if ({|FOLIO010:buffer.FirstSpan is [0x89, (byte)'P', ..]|}) value = 1;")]
    [InlineData("value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(MemoryMarshal.AsBytes(buffer.FirstSpan))|} + {|FOLIO010:MemoryMarshal.Cast<byte, int>(_pending.FirstSpan)[1]|};")]
    public Task Offers_nothing_it_cannot_write_with_the_same_meaning(string body) =>
        Fix(FirstSegmentAccessFixer.DecodeKey, body, body);

    [Fact]
    public Task Adds_the_System_Buffers_using_the_rewrite_needs()
    {
        const string Before = """
            using System;
            using System.Buffers.Binary;

            static class Frames
            {
                public static int Length(System.Buffers.ReadOnlySequence<byte> frame) => {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(frame.FirstSpan)|};
            }
            """;
        const string After = """
            using System;
            using System.Buffers.Binary;
            using System.Buffers;

            static class Frames
            {
                public static int Length(System.Buffers.ReadOnlySequence<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame.FirstSpan.Length >= 4 ? frame.FirstSpan : frame.Slice(0, 4).ToArray());
            }
            """;
        var test = Verify.Create(Before, null, withRuntime: false);
        test.FixedCode = After;
        test.CodeActionEquivalenceKey = FirstSegmentAccessFixer.DecodeKey;
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(FirstSegmentAccessAnalyzerTests.InMethod(
            "value = {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan)|} + {|FOLIO010:BinaryPrimitives.ReadInt32LittleEndian(_pending.FirstSpan)|};"), null, withRuntime: false);
        test.TestState.Sources.Add(("Other.cs", FirstSegmentAccessAnalyzerTests.Usings + "static class D { public static short M(ReadOnlySequence<byte> s) => {|FOLIO010:BinaryPrimitives.ReadInt16LittleEndian(s.FirstSpan)|}; }"));
        test.FixedState.Sources.Add(FirstSegmentAccessAnalyzerTests.InMethod(
            "value = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan.Length >= 4 ? buffer.FirstSpan : buffer.Slice(0, 4).ToArray()) + BinaryPrimitives.ReadInt32LittleEndian(_pending.FirstSpan.Length >= 4 ? _pending.FirstSpan : _pending.Slice(0, 4).ToArray());"));
        test.FixedState.Sources.Add(("Other.cs", FirstSegmentAccessAnalyzerTests.Usings + "static class D { public static short M(ReadOnlySequence<byte> s) => BinaryPrimitives.ReadInt16LittleEndian(s.FirstSpan.Length >= 2 ? s.FirstSpan : s.Slice(0, 2).ToArray()); }"));
        test.CodeActionEquivalenceKey = FirstSegmentAccessFixer.DecodeKey;
        return test.RunAsync();
    }

    private static Task Fix(string key, string body, string expected)
    {
        var test = Verify.Create(FirstSegmentAccessAnalyzerTests.InMethod(body), null, withRuntime: false);
        test.FixedCode = FirstSegmentAccessAnalyzerTests.InMethod(expected);
        test.CodeActionEquivalenceKey = key;
        return test.RunAsync();
    }
}
