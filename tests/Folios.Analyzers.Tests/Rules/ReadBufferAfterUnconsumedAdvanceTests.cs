using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadBufferAfterAdvanceAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>
/// A buffer used after <c>AdvanceTo(result.Buffer.Start, …)</c>: the contract forbids it, but that advance consumes
/// nothing and no reader frees a segment there, so it is latent and reported only with
/// <c>folios.pipe_unconsumed_advance = true</c>. Any advance that may consume is reported either way.
/// </summary>
public class ReadBufferAfterUnconsumedAdvanceTests
{
    private const string UnconsumedAdvance = "folios.pipe_unconsumed_advance = true";

    public static TheoryData<string> UsesAfterAnAdvanceThatConsumesNothing() =>
    [
        "var result = await reader.ReadAsync(); reader.AdvanceTo(result.Buffer.Start); var length = {|FOLIO014:result.Buffer|}.Length;",
        // Nerdbank.Streams: examine everything until the writer completes, then hand the whole buffer out.
        "while (true) { var result = await reader.ReadAsync(); reader.AdvanceTo(result.Buffer.Start, result.Buffer.End); if (result.IsCompleted) { Use({|FOLIO014:result.Buffer|}); return; } }",
        // icerpc: too little buffered, so examine it all and remember how much there was.
        "if (reader.TryRead(out var result)) { if (result.Buffer.Length >= n) { Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); return; } reader.AdvanceTo(result.Buffer.Start, result.Buffer.End); n -= (int){|FOLIO014:result.Buffer|}.Length; }",
    ];

    [Theory]
    [MemberData(nameof(UsesAfterAnAdvanceThatConsumesNothing))]
    public Task By_default_a_use_after_an_advance_that_consumes_nothing_is_not_reported(string body) =>
        Verify.Analyze(Snippets.WithPipes(Snippets.Unmarked(body)));

    [Theory]
    [MemberData(nameof(UsesAfterAnAdvanceThatConsumesNothing))]
    public Task With_the_option_on_it_is(string body) => Verify.Analyze(Snippets.WithPipes(body), UnconsumedAdvance);

    [Theory]
    [InlineData("var result = await reader.ReadAsync(); reader.AdvanceTo(result.Buffer.Slice(1).Start); Use({|FOLIO014:result.Buffer|});")]
    [InlineData("var result = await reader.ReadAsync(); if (n > 0) reader.AdvanceTo(result.Buffer.Start); else reader.AdvanceTo(result.Buffer.End); Use({|FOLIO014:result.Buffer|});")]
    [InlineData("var result = await reader.ReadAsync(); reader.AdvanceTo(result.Buffer.Start, result.Buffer.End); reader.AdvanceTo(result.Buffer.End); Use({|FOLIO014:result.Buffer|});")]
    // A copy of the buffer may have been narrowed through a ref before the advance: its Start is not taken as the read's.
    [InlineData("var result = await reader.ReadAsync(); var buffer = result.Buffer; reader.AdvanceTo(buffer.Start, buffer.End); Use({|FOLIO014:buffer|});")]
    public Task By_default_an_advance_that_may_consume_is_reported_as_ever(string body) => Verify.Analyze(Snippets.WithPipes(body));
}
