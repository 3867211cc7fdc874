using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadBufferAfterAdvanceAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class ReadBufferAfterAdvanceAnalyzerTests
{
    [Theory]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; reader.AdvanceTo(buffer.End); if ({|FOLIO014:buffer|}.Length > 0) Work();")]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; var payload = buffer.Slice(4); reader.AdvanceTo(buffer.End); Use({|FOLIO014:payload|});")]
    [InlineData("if (reader.TryRead(out var result)) { reader.AdvanceTo(result.Buffer.End); Use({|FOLIO014:result.Buffer|}); }")]
    [InlineData("var result = await reader.ReadAsync().ConfigureAwait(false); var first = result.Buffer.First; reader.AdvanceTo(result.Buffer.End); var b = {|FOLIO014:first|}.Span[0];")]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; if (n > 0) reader.AdvanceTo(buffer.End); Use({|FOLIO014:buffer|});")]
    [InlineData("while (true) { var result = await reader.ReadAsync(); var buffer = result.Buffer; reader.AdvanceTo(buffer.Start, buffer.End); while (TryParse(ref {|FOLIO014:buffer|}, out var m)) Process(m); if (result.IsCompleted) break; }")]
    [InlineData("var result = await _input.ReadAtLeastAsync(8); var buffer = result.Buffer; var end = buffer.GetPosition(8); _input.AdvanceTo(end); Use({|FOLIO014:buffer|}.Slice(0, end));")]
    public Task Reports_a_read_buffer_used_after_AdvanceTo(string body) => Verify.Analyze(Snippets.WithPipes(body));

    /// <summary>Spans and readers cannot live in an async method: the synchronous TryRead loop holds them.</summary>
    [Theory]
    [InlineData("var data = new SequenceReader<byte>(result.Buffer); reader.AdvanceTo(result.Buffer.End); {|FOLIO014:data|}.TryRead(out byte first);")]
    [InlineData("var span = result.Buffer.FirstSpan; reader.AdvanceTo(result.Buffer.End); var b = {|FOLIO014:span|}[0];")]
    public Task Reports_spans_and_readers_of_the_buffer_used_after_AdvanceTo(string body) => Verify.Analyze(Snippets.WithPipes("", $$"""
        void Parse(PipeReader reader)
        {
            if (!reader.TryRead(out var result))
                return;
            {{body}}
        }
        """));

    [Theory]
    [InlineData("while (true) { var result = await reader.ReadAsync(); var buffer = result.Buffer; while (TryParse(ref buffer, out var m)) Process(m); reader.AdvanceTo(buffer.Start, buffer.End); if (result.IsCompleted) break; }")]
    [InlineData("var result = await reader.ReadAsync(); reader.AdvanceTo(result.Buffer.End); if (result.IsCompleted || result.IsCanceled) return;")]
    [InlineData("var result = await reader.ReadAsync(); var copy = result.Buffer.ToArray(); reader.AdvanceTo(result.Buffer.End); Work(); var first = copy[0];")]
    [InlineData("var result = await reader.ReadAsync(); long length = result.Buffer.Length; reader.AdvanceTo(result.Buffer.End); if (length > 0) Work();")]
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; reader.AdvanceTo(buffer.Start, buffer.End); result = await reader.ReadAsync(); buffer = result.Buffer; Use(buffer); reader.AdvanceTo(buffer.End);")]
    [InlineData("if (reader.TryRead(out var result)) { Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }")]
    public Task Stays_silent_when_the_buffer_is_used_before_the_advance(string body) => Verify.Analyze(Snippets.WithPipes(body));

    [Fact]
    public Task Stays_silent_when_a_reader_over_the_buffer_gives_the_position_to_advance_to() => Verify.Analyze(Snippets.WithPipes("", """
        void Parse(PipeReader reader)
        {
            if (!reader.TryRead(out var result))
                return;
            var data = new SequenceReader<byte>(result.Buffer);
            data.TryRead(out byte first);
            reader.AdvanceTo(data.Position);
        }
        """));

    /// <summary>One mistake, one diagnostic: the uses of a buffer after one advance, reported at the first.</summary>
    [Fact]
    public Task Reports_every_use_after_one_advance_once() => Verify.Analyze(Snippets.WithPipes("""
        var result = await reader.ReadAsync();
        var buffer = result.Buffer;
        reader.AdvanceTo(buffer.End);
        Use({|FOLIO014:buffer|});
        Use(buffer.Slice(1));
        """));

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.WithPipes("""
        var result = await reader.ReadAsync();
        reader.AdvanceTo(result.Buffer.End);
        #pragma warning disable FOLIO014
        Use(result.Buffer);
        #pragma warning restore FOLIO014
        """));
}
