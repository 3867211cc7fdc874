using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadNotAdvancedAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>
/// A read left without <c>AdvanceTo</c> when it was canceled (Kestrel's socket transport and the code modelled on it:
/// a read is canceled to shut the reader down, and whoever does so completes the reader, which ends the read): latent,
/// reported only with <c>folios.pipe_canceled_reads = true</c>. Reading again after a canceled read that was not
/// advanced throws, and is reported either way.
/// </summary>
public class ReadNotAdvancedCanceledTests
{
    private const string CanceledReads = "folios.pipe_canceled_reads = true";

    public static TheoryData<string> ReadsLeftWhenCanceled() =>
    [
        "while (true) { var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCanceled) break; Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); if (result.IsCompleted) break; }",
        "var result = await {|FOLIO015:_input.ReadAsync()|}; if (result.IsCanceled) return; Use(result.Buffer); _input.AdvanceTo(result.Buffer.End);",
        "var result = await {|FOLIO015:reader.ReadAtLeastAsync(4)|}; if (!result.IsCanceled) { Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }",
    ];

    [Theory]
    [MemberData(nameof(ReadsLeftWhenCanceled))]
    public Task By_default_a_canceled_read_may_be_left_without_advancing(string body) => Verify.Analyze(Snippets.WithPipes(Unmarked(body)));

    [Theory]
    [MemberData(nameof(ReadsLeftWhenCanceled))]
    public Task With_the_option_on_it_is_reported(string body) => Verify.Analyze(Snippets.WithPipes(body), CanceledReads);

    [Theory]
    // The next read while the canceled one is held throws.
    [InlineData("while (true) { var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCanceled) continue; Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }")]
    // Only one way out is the canceled one.
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCanceled || result.Buffer.IsEmpty) return; reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.IsCompleted) return; reader.AdvanceTo(result.Buffer.End);")]
    public Task By_default_other_paths_are_reported_as_ever(string body) => Verify.Analyze(Snippets.WithPipes(body));

    private static string Unmarked(string body) => body.Replace("{|FOLIO015:", "", StringComparison.Ordinal).Replace("|}", "", StringComparison.Ordinal);
}
