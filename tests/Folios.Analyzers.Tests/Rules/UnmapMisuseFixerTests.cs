using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.UnmapMisuseAnalyzer, Folios.CodeFixes.Rules.UnmapMisuseFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class UnmapMisuseFixerTests
{
    private const string Members = "static void Work() { }";

    [Fact]
    public Task A_second_unmap_that_always_follows_one_is_removed() => Verify.Fix(
        Snippets.InMethod("""
            var m = allocator.Map(pages);
                    m.Span.Clear();
                    m.Unmap();
                    {|FOLIO004:m.Unmap()|};
                    Work();
            """, Members),
        Snippets.InMethod("""
            var m = allocator.Map(pages);
                    m.Span.Clear();
                    m.Unmap();
                    Work();
            """, Members));

    [Fact]
    public Task The_unmap_moves_up_to_just_before_the_free() => Verify.Fix(
        Snippets.InMethod("""
            var m = buffer.Map();
                    m.Span.Clear();
                    {|FOLIO004:buffer.Dispose()|};
                    Work();
                    m.Unmap();
                    Work();
            """, Members),
        Snippets.InMethod("""
            var m = buffer.Map();
                    m.Span.Clear();
                    m.Unmap();
                    buffer.Dispose();
                    Work();
                    Work();
            """, Members));

    [Fact]
    public Task The_unmap_moves_up_before_a_free_of_a_mapped_folio() => Verify.Fix(
        Snippets.InMethod("""
            var m = allocator.Map(pages);
                    {|FOLIO004:allocator.Free(pages[0])|};
                    m.Unmap();
            """, Members),
        Snippets.InMethod("""
            var m = allocator.Map(pages);
                    m.Unmap();
                    allocator.Free(pages[0]);
            """, Members));

    [Theory]
    [InlineData("var m = allocator.Map(pages); if (n > 0) m.Unmap(); {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = allocator.Map(pages); try { m.Span.Clear(); m.Unmap(); } finally { {|FOLIO004:m.Unmap()|}; }")]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); if (n > 0) {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = buffer.Map(); {|FOLIO004:buffer.Dispose()|}; var b = m.Span.Length; m.Unmap();")]
    [InlineData("var m = buffer.Map(); if (n > 0) m.Unmap(); {|FOLIO004:buffer.Dispose()|}; m.Dispose();")]
    [InlineData("var m = buffer.Map(); {|FOLIO004:buffer.Dispose()|}; Work();")]
    [InlineData("var m = buffer.Map(); m.Unmap(); var x = {|FOLIO004:m.Span|}.Length;")]
    public Task No_fix_unless_every_path_agrees_and_the_move_is_local(string body) =>
        Verify.Fix(Snippets.InMethod(body, Members), Snippets.InMethod(body, Members));

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        const string Other = """
            class D
            {
                void M(ExtentBuffer b)
                {
                    var v = b.Map();
                    v.Dispose();
                    {|FOLIO004:v.Unmap()|};
                }
            }
            """;
        var test = Verify.Create(Snippets.InMethod("""
            var m = allocator.Map(pages);
                    m.Unmap();
                    {|FOLIO004:m.Unmap()|};
            """), null, true);
        test.TestState.Sources.Add(("Other.cs", Snippets.Usings + Other));
        test.FixedState.Sources.Add(Snippets.InMethod("""
            var m = allocator.Map(pages);
                    m.Unmap();
            """));
        test.FixedState.Sources.Add(("Other.cs", Snippets.Usings + Other.Replace("        {|FOLIO004:v.Unmap()|};\n", "")));
        return test.RunAsync();
    }
}
