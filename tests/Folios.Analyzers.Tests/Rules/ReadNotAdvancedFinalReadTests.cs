using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadNotAdvancedAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>
/// A final read (canceled or completed) left without <c>AdvanceTo</c>: Kestrel's socket transport and the code
/// modelled on it leave the read loop on <c>result.IsCanceled</c>, and code that waits for a peer to finish leaves on
/// <c>result.IsCompleted</c>; whoever ends the reader's use completes it, which ends the read. Latent, so reported
/// only with <c>folios.pipe_final_reads = true</c>. Reading again after such a read that was not advanced throws, and
/// is reported either way.
/// </summary>
public class ReadNotAdvancedFinalReadTests
{
    private const string FinalReads = "folios.pipe_final_reads = true";

    public static TheoryData<string> FinalReadsLeftWithoutAdvancing() =>
    [
        "while (true) { var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCanceled) break; Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); if (result.IsCompleted) break; }",
        "var result = await {|FOLIO015:_input.ReadAsync()|}; if (result.IsCanceled) return; Use(result.Buffer); _input.AdvanceTo(result.Buffer.End);",
        "var result = await {|FOLIO015:reader.ReadAtLeastAsync(4)|}; if (!result.IsCanceled) { Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }",
        // icerpc: wait for the peer to complete its control stream, then close.
        "var result = await {|FOLIO015:reader.ReadAsync()|}; if (!result.IsCompleted || !result.Buffer.IsEmpty) throw new InvalidOperationException();",
        "var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCompleted) return; reader.AdvanceTo(result.Buffer.End);",
    ];

    [Theory]
    [MemberData(nameof(FinalReadsLeftWithoutAdvancing))]
    public Task By_default_a_final_read_may_be_left_without_advancing(string body) => Verify.Analyze(Snippets.WithPipes(Snippets.Unmarked(body)));

    [Theory]
    [MemberData(nameof(FinalReadsLeftWithoutAdvancing))]
    public Task With_the_option_on_it_is_reported(string body) => Verify.Analyze(Snippets.WithPipes(body), FinalReads);

    [Theory]
    // The next read while the canceled one is held throws.
    [InlineData("while (true) { var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCanceled) continue; Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }")]
    // Only one way out is a final read's.
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCanceled || result.Buffer.IsEmpty) return; reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; if (!result.IsCompleted && result.Buffer.Length < 4) return; reader.AdvanceTo(result.Buffer.End);")]
    public Task By_default_other_paths_are_reported_as_ever(string body) => Verify.Analyze(Snippets.WithPipes(body));
}
