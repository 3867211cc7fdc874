using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadNotAdvancedAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class ReadNotAdvancedAnalyzerTests
{
    [Theory]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.Buffer.IsEmpty) return; reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; var buffer = result.Buffer; if (!buffer.IsEmpty) reader.AdvanceTo(buffer.End);")]
    [InlineData("var first = await {|FOLIO015:reader.ReadAsync()|}; var second = await reader.ReadAsync(); reader.AdvanceTo(second.Buffer.End);")]
    [InlineData("await {|FOLIO015:reader.ReadAsync()|};")]
    [InlineData("if ({|FOLIO015:reader.TryRead(out var result)|}) { Use(result.Buffer); }")]
    [InlineData("while (true) { var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.Buffer.Length < 4) continue; reader.AdvanceTo(result.Buffer.End); }")]
    [InlineData("var result = await {|FOLIO015:_input.ReadAtLeastAsync(4)|}.ConfigureAwait(false); Use(result.Buffer);")]
    public Task Reports_a_read_not_advanced_on_some_path(string body) => Verify.Analyze(Snippets.WithPipes(body));

    [Theory]
    [InlineData("while (true) { var result = await reader.ReadAsync(); var buffer = result.Buffer; while (TryParse(ref buffer, out var m)) Process(m); reader.AdvanceTo(buffer.Start, buffer.End); if (result.IsCompleted) break; }")]
    [InlineData("if (!reader.TryRead(out var result)) return; Use(result.Buffer); reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("while (reader.TryRead(out var result)) { Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }")]
    [InlineData("var result = await reader.ReadAsync(); if (result.IsCompleted) { reader.Complete(); return; } reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await reader.ReadAsync(); Use(result.Buffer); reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await reader.ReadAsync(); try { Use(result.Buffer); } finally { reader.AdvanceTo(result.Buffer.End); }")]
    [InlineData("var result = await reader.ReadAsync(); Consume(reader, result);")]
    public Task Stays_silent_when_every_read_is_advanced_or_handed_on(string body) =>
        Verify.Analyze(Snippets.WithPipes(body, "static void Consume(PipeReader reader, ReadResult result) => reader.AdvanceTo(result.Buffer.End);"));

    [Theory]
    [InlineData("async ValueTask<ReadResult> Next(PipeReader reader) { var result = await reader.ReadAsync(); return result; }")]
    [InlineData("ValueTask<ReadResult> Next(PipeReader reader) => reader.ReadAsync();")]
    public Task Stays_silent_when_members_hand_the_read_out(string member) => Verify.Analyze(Snippets.WithPipes("", member));

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.WithPipes("""
        #pragma warning disable FOLIO015
        await reader.ReadAsync();
        #pragma warning restore FOLIO015
        """));
}
