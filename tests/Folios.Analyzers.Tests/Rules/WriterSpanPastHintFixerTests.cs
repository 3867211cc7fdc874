using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.WriterSpanPastHintAnalyzer, Folios.CodeFixes.Rules.WriterSpanPastHintFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class WriterSpanPastHintFixerTests
{
    [Theory]
    [InlineData("var span = writer.GetSpan(); {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(span, value)|}; writer.Advance(4);",
        "var span = writer.GetSpan(4); BinaryPrimitives.WriteInt32LittleEndian(span, value); writer.Advance(4);")]
    [InlineData("var span = pipe.GetSpan(2); {|FOLIO016:BinaryPrimitives.WriteInt64BigEndian(span, id)|}; pipe.Advance(8);",
        "var span = pipe.GetSpan(8); BinaryPrimitives.WriteInt64BigEndian(span, id); pipe.Advance(8);")]
    [InlineData("var span = writer.GetSpan(sizeHint: 1); {|FOLIO016:span[3]|} = 1; writer.Advance(4);",
        "var span = writer.GetSpan(sizeHint: 4); span[3] = 1; writer.Advance(4);")]
    [InlineData("var memory = array.GetMemory(); {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(memory.Span, value)|}; array.Advance(8);",
        "var memory = array.GetMemory(8); BinaryPrimitives.WriteInt32LittleEndian(memory.Span, value); array.Advance(8);")]
    [InlineData("var span = writer.GetSpan(HeaderSize / 4); BinaryPrimitives.TryWriteInt32LittleEndian(span, value); {|FOLIO016:writer.Advance(4)|};",
        "var span = writer.GetSpan(4); BinaryPrimitives.TryWriteInt32LittleEndian(span, value); writer.Advance(4);")]
    [InlineData("{|FOLIO016:BinaryPrimitives.WriteInt16LittleEndian(_output.GetSpan(), (short)value)|}; _output.Advance(2);",
        "BinaryPrimitives.WriteInt16LittleEndian(_output.GetSpan(2), (short)value); _output.Advance(2);")]
    public Task Asks_for_what_is_written(string body, string fixedBody) => Verify.Fix(Snippets.WithWriters(body), Snippets.WithWriters(fixedBody));

    [Fact]
    public Task Fixes_every_span_of_a_document_at_once() => Verify.Fix(
        Snippets.WithWriters("""
            var header = writer.GetSpan();
                    {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(header, value)|};
                    writer.Advance(4);
                    var body = writer.GetSpan(2);
                    {|FOLIO016:BinaryPrimitives.WriteInt64LittleEndian(body, id)|};
                    writer.Advance(8);
            """),
        Snippets.WithWriters("""
            var header = writer.GetSpan(4);
                    BinaryPrimitives.WriteInt32LittleEndian(header, value);
                    writer.Advance(4);
                    var body = writer.GetSpan(8);
                    BinaryPrimitives.WriteInt64LittleEndian(body, id);
                    writer.Advance(8);
            """));

    /// <summary>A span used after Advance has no fix: where the code meant to write is a judgment.</summary>
    [Fact]
    public Task No_fix_for_a_span_used_after_Advance()
    {
        string body = "var span = writer.GetSpan(8); writer.Advance(8); {|FOLIO016:span|}[0] = 1;";
        return Verify.Fix(Snippets.WithWriters(body), Snippets.WithWriters(body));
    }
}
