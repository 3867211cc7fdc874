using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.MappingLifetimeAnalyzer, Folios.CodeFixes.Rules.MappingLifetimeFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class MappingLifetimeFixerTests
{
    private const string Members = "static void Work() { }";

    [Fact]
    public Task A_mapping_never_unmapped_gets_a_using_declaration() => Verify.Fix(
        Snippets.InMethod("""
            var m = {|FOLIO003:allocator.Map(pages)|};
                    m.Span[0] = 1;
                    var v = {|FOLIO003:buffer.Map()|};
                    v.Span.Clear();
            """, Members),
        Snippets.InMethod("""
            using var m = allocator.Map(pages);
                    m.Span[0] = 1;
                    using var v = buffer.Map();
                    v.Span.Clear();
            """, Members));

    [Fact]
    public Task An_explicit_unmap_becomes_the_end_of_a_using_statement_so_later_frees_still_follow_it() => Verify.Fix(
        Snippets.InMethod("""
            var m = {|FOLIO003:allocator.Map(pages)|};
                    Work();
                    m.Unmap();
                    allocator.Free(pages[0]);
            """, Members),
        Snippets.InMethod("""
            using (var m = allocator.Map(pages))
                    {
                        Work();
                    }
                    allocator.Free(pages[0]);
            """, Members));

    [Fact]
    public Task An_early_return_path_is_covered_by_a_using_declaration() => Verify.Fix(
        Snippets.InMethod("""
            var m = {|FOLIO003:allocator.Map(pages)|};
                    if (n > 0) { m.Unmap(); }
            """, Members),
        Snippets.InMethod("""
            using var m = allocator.Map(pages);
                    if (n > 0) { m.Unmap(); }
            """, Members));

    [Theory]
    [InlineData("{|FOLIO003:allocator.Map(pages)|};")]
    [InlineData("PageMapping m; if (n > 0) { m = {|FOLIO003:allocator.Map(pages)|}; }")]
    [InlineData("PageMapping m; { m = {|FOLIO003:allocator.Map(pages)|}; Work(); }")]
    [InlineData("PageMapping m; m = {|FOLIO003:allocator.Map(pages)|}; var s = n; if (s > 0) return; m.Unmap(); s++;")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; GC.KeepAlive(m); Work();")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; var s = 1; Work(); m.Unmap(); s++;")]
    [InlineData("_ = {|FOLIO003:allocator.Map(pages)|};")]
    [InlineData("PageMapping m = null; m ??= {|FOLIO003:allocator.Map(pages)|}; Work();")]
    [InlineData("var m = n > 0 ? {|FOLIO003:buffer.Map()|} : {|FOLIO003:allocator.Map(pages)|}; Work();")]
    [InlineData("PageMapping m = null; for (int i = 0; i < n; i++) { m = {|FOLIO003:allocator.Map(pages)|}; } m?.Unmap();")]
    public Task No_fix_where_a_using_or_finally_would_change_behaviour_or_not_compile(string body) =>
        Verify.Fix(Snippets.InMethod(body, Members), Snippets.InMethod(body, Members));

    [Fact]
    public Task A_mapping_assigned_to_an_earlier_local_is_disposed_in_a_finally() => Verify.Fix(
        Snippets.InMethod("""
            PageMapping m;
                    m = {|FOLIO003:allocator.Map(pages)|};
                    if (n > 0)
                    {
                        m.Unmap();
                        return;
                    }
                    Work();
                    m.Unmap();
                    allocator.Free(pages[0]);
            """, Members),
        Snippets.InMethod("""
            PageMapping m;
                    m = allocator.Map(pages);
                    try
                    {
                        if (n > 0)
                        {
                            m.Unmap();
                            return;
                        }
                        Work();
                    }
                    finally
                    {
                        m.Dispose();
                    }
                    allocator.Free(pages[0]);
            """, Members));

    [Fact]
    public Task Without_an_explicit_unmap_the_finally_covers_the_rest_of_the_block() => Verify.Fix(
        Snippets.InMethod("""
            PageMapping view;
                    view = {|FOLIO003:buffer.Map()|};
                    view.Span.Clear();
            """, Members),
        Snippets.InMethod("""
            PageMapping view;
                    view = buffer.Map();
                    try
                    {
                        view.Span.Clear();
                    }
                    finally
                    {
                        view.Dispose();
                    }
            """, Members));
}
