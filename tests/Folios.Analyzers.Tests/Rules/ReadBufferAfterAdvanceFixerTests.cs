using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadBufferAfterAdvanceAnalyzer, Folios.CodeFixes.Rules.ReadBufferAfterAdvanceFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class ReadBufferAfterAdvanceFixerTests
{
    [Fact]
    public Task A_length_read_after_the_advance_is_read_before_it() => Verify.Fix(
        Snippets.WithPipes("""
            var result = await reader.ReadAsync();
                    var buffer = result.Buffer;
                    reader.AdvanceTo(buffer.End);
                    if ({|FOLIO014:buffer|}.Length > 1024 || buffer.IsEmpty)
                        Work();
            """),
        Snippets.WithPipes("""
            var result = await reader.ReadAsync();
                    var buffer = result.Buffer;
                    var bufferLength = buffer.Length;
                    var bufferIsEmpty = buffer.IsEmpty;
                    reader.AdvanceTo(buffer.End);
                    if (bufferLength > 1024 || bufferIsEmpty)
                        Work();
            """));

    [Fact]
    public Task The_result_buffer_length_is_captured_too() => Verify.Fix(
        Snippets.WithPipes("""
            var result = await reader.ReadAsync();
                    reader.AdvanceTo(result.Buffer.End);
                    var length = {|FOLIO014:result.Buffer|}.Length;
            """),
        Snippets.WithPipes("""
            var result = await reader.ReadAsync();
                    var bufferLength = result.Buffer.Length;
                    reader.AdvanceTo(result.Buffer.End);
                    var length = bufferLength;
            """));

    /// <summary>A use that reads the data itself has no fix: where it belongs is a judgment.</summary>
    [Theory]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; reader.AdvanceTo(buffer.End); Use({|FOLIO014:buffer|});")]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; reader.AdvanceTo(buffer.End); if ({|FOLIO014:buffer|}.Length > 0) Use(buffer);")]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; if (n > 0) reader.AdvanceTo(buffer.End); if ({|FOLIO014:buffer|}.IsEmpty) Work();")]
    public Task No_fix_where_the_data_itself_is_used(string body) => Verify.Fix(Snippets.WithPipes(body), Snippets.WithPipes(body));
}
