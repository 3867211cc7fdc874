using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.MappingLifetimeAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class MappingLifetimeAnalyzerTests
{
    private const string Members = """
        PageMapping field;
        List<PageMapping> all = new();
        static void Release([UnmapsPages] PageMapping m) => m.Unmap();
        static void Use(PageMapping m) { }
        static void Work() { }
        [MapsPages] PageMapping MapAll() => allocator.Map(pages);
        """;

    [Theory]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; m.Span[0] = 1;")]
    [InlineData("{|FOLIO003:allocator.Map(pages)|};")]
    [InlineData("var m = {|FOLIO003:buffer.Map()|}; Use(m);")]
    [InlineData("var m = {|FOLIO003:MapAll()|};")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; if (n > 0) return; m.Unmap();")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; if (n > 0) { m.Unmap(); }")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; Work(); m.Unmap();")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; if (n > 0) throw new InvalidOperationException(); m.Dispose();")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; try { if (n > 0) throw new InvalidOperationException(); } catch (ArgumentException) { } m.Unmap();")]
    [InlineData("try { var m = {|FOLIO003:allocator.Map(pages)|}; Work(); m.Unmap(); } finally { Work(); }")]
    [InlineData("Action a = () => { var m = {|FOLIO003:allocator.Map(pages)|}; };")]
    [InlineData("void Local() { var m = {|FOLIO003:buffer.Map()|}; m.Span.Clear(); } Local();")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; switch (n) { case 0: m.Unmap(); break; default: break; }")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; var k = n switch { 0 => 1, _ => 2 }; if (k == 1) m.Unmap();")]
    [InlineData("for (int i = 0; i < n; i++) { var m = {|FOLIO003:allocator.Map(pages)|}; if (i == 2) continue; m.Unmap(); }")]
    [InlineData("PageMapping m; m = {|FOLIO003:allocator.Map(pages)|}; while (n-- > 0) { if (n == 3) break; } ")]
    [InlineData("all.Add(buffer.Map()); field = buffer.Map(); var m = {|FOLIO003:allocator.Map(pages)|};")]
    public Task Reports_mappings_not_unmapped_on_every_path(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Theory]
    [InlineData("using var m = allocator.Map(pages); m.Span[0] = 1; Work();")]
    [InlineData("using (var m = buffer.Map()) { Work(); }")]
    [InlineData("var m = allocator.Map(pages); m.Span.Clear(); m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); try { Work(); } finally { m.Unmap(); }")]
    [InlineData("var m = allocator.Map(pages); try { Work(); } finally { m?.Dispose(); }")]
    [InlineData("field = allocator.Map(pages);")]
    [InlineData("all.Add(allocator.Map(pages));")]
    [InlineData("Release(buffer.Map());")]
    [InlineData("var m = allocator.Map(pages); field = m;")]
    [InlineData("var m = allocator.Map(pages); all.Add(m);")]
    [InlineData("var m = allocator.Map(pages); Release(m);")]
    [InlineData("var m = allocator.Map(pages); if (n > 0) { m.Unmap(); return; } m.Dispose();")]
    [InlineData("Func<PageMapping> f = () => allocator.Map(pages);")]
    [InlineData("var m = allocator.Map(pages); Action a = () => m.Unmap(); a();")]
    [InlineData("var m = allocator.Map(pages); switch (n) { case 0: m.Unmap(); break; default: m.Dispose(); break; }")]
    [InlineData("try { using var m = allocator.Map(pages); try { Work(); } finally { Work(); } } finally { Work(); }")]
    [InlineData("var m = allocator.Map(pages); try { Work(); m.Unmap(); } catch { m.Dispose(); throw; }")]
    [InlineData("var m = allocator.Map(pages); try { if (n > 0) throw new InvalidOperationException(); Work(); } finally { m?.Dispose(); }")]
    [InlineData("var m = allocator.Map(pages); try { try { Work(); } finally { if (n > 0) throw new InvalidOperationException(); } } finally { m.Unmap(); }")]
    [InlineData("for (int i = 0; i < n; i++) { using var m = allocator.Map(pages); if (i == 2) continue; Work(); }")]
    public Task Stays_silent_when_every_path_unmaps_or_ownership_leaves(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Theory]
    [InlineData("PageMapping Returned() { var m = allocator.Map(pages); m.Span.Clear(); return m; }")]
    [InlineData("PageMapping Made() => buffer.Map();")]
    [InlineData("void Out(out PageMapping m) { m = allocator.Map(pages); }")]
    [InlineData("async Task Later() { using var m = allocator.Map(pages); await Task.Yield(); }")]
    [InlineData("T Generic<T>(Func<PageMapping, T> use) { using var m = allocator.Map(pages); return use(m); }")]
    public Task Stays_silent_when_members_hand_the_mapping_out_or_dispose_it(string member) => Verify.Analyze(Snippets.InMethod("", Members + member));

    [Fact]
    public Task The_message_distinguishes_never_path_and_exception()
    {
        var test = Verifier<Folios.Analyzers.Rules.MappingLifetimeAnalyzer, EmptyCodeFixProvider>.Create(Snippets.InMethod("""
            var a = {|#0:allocator.Map(pages)|};
            var b = {|#1:allocator.Map(pages)|}; if (n > 0) return; b.Unmap();
            var c = {|#2:allocator.Map(pages)|}; Work(); c.Unmap();
            """, Members), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.MappingNeverUnmapped).WithLocation(0).WithArguments("PageAllocator.Map"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.MappingNotUnmappedOnPath).WithLocation(1).WithArguments("PageAllocator.Map", 21));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.MappingNotUnmappedOnException).WithLocation(2).WithArguments("PageAllocator.Map", 22));
        return test.RunAsync();
    }

    [Theory]
    [InlineData("_ = {|FOLIO003:buffer.Map()|};")]
    [InlineData("{|FOLIO003:buffer.Map()|};")]
    [InlineData("PageMapping m = null; m ??= {|FOLIO003:buffer.Map()|}; Work();")]
    [InlineData("PageMapping m = null; m ??= {|FOLIO003:buffer.Map()|}; if (n > 0) m.Unmap();")]
    [InlineData("var m = n > 0 ? {|FOLIO003:buffer.Map()|} : {|FOLIO003:allocator.Map(pages)|}; Work();")]
    [InlineData("var m = n switch { 0 => {|FOLIO003:buffer.Map()|}, _ => {|FOLIO003:allocator.Map(pages)|} }; if (n > 1) m.Dispose();")]
    [InlineData("PageMapping m = null; for (int i = 0; i < n; i++) { m = {|FOLIO003:buffer.Map()|}; } m?.Unmap();")]
    [InlineData("var m = {|FOLIO003:buffer.Map()|}; m = {|FOLIO003:allocator.Map(pages)|}; m.Unmap();")]
    [InlineData("while (n-- > 0) { var m = {|FOLIO003:buffer.Map()|}; if (m.Span[0] == 0) break; m.Unmap(); }")]
    [InlineData("var first = {|FOLIO003:buffer.Map()|}.Span[0];")]
    [InlineData("var copy = {|FOLIO003:allocator.Map(pages)|}.Span.ToArray();")]
    [InlineData("Use({|FOLIO003:buffer.Map()|});")]
    public Task Reports_discarded_coalesced_chosen_and_looped_mappings(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Theory]
    [InlineData("var m = buffer.Map(); try { Work(); } finally { m?.Unmap(); }")]
    [InlineData("var m = buffer.Map(); m.Span.Clear(); m?.Dispose();")]
    [InlineData("var m = n > 0 ? buffer.Map() : allocator.Map(pages); using (m) { Work(); }")]
    [InlineData("PageMapping m = null; m ??= buffer.Map(); using (m) { Work(); }")]
    [InlineData("PageMapping m = null; try { for (int i = 0; i < n; i++) { m?.Dispose(); m = buffer.Map(); } } finally { m?.Dispose(); }")]
    [InlineData("var m = buffer.Map(); var pair = (m, n); Keep(pair);")]
    [InlineData("var m = buffer.Map(); var array = new[] { m }; Keep(array);")]
    [InlineData("var m = buffer.Map(); Keep(new { View = m });")]
    [InlineData("var m = buffer.Map(); var copy = m.Span.ToArray(); m.Unmap(); Keep(copy);")]
    [InlineData("buffer.Map().Unmap();")]
    [InlineData("using (buffer.Map()) { Work(); }")]
    [InlineData("Keep(new[] { buffer.Map() });")]
    public Task Stays_silent_when_the_mapping_is_released_or_carried_away(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Members + "static void Keep(object o) { }\n"));

    /// <summary>
    /// A consumer that stops early disposes an iterator at its <c>yield return</c>: only a finally (or using) runs
    /// then, so a mapping held across a yield must be released there.
    /// </summary>
    [Theory]
    [InlineData("IEnumerable<byte> Bytes() { var m = {|FOLIO003:buffer.Map()|}; for (int i = 0; i < m.Span.Length; i++) yield return m.Span[i]; m.Unmap(); }")]
    [InlineData("IEnumerable<int> Lengths() { var m = {|FOLIO003:allocator.Map(pages)|}; yield return m.Span.Length; m.Dispose(); }")]
    public Task Reports_a_mapping_an_iterator_holds_across_a_yield(string member) => Verify.Analyze(Snippets.InMethod("", Members + member));

    [Theory]
    [InlineData("IEnumerable<byte> Bytes() { using var m = buffer.Map(); for (int i = 0; i < m.Span.Length; i++) yield return m.Span[i]; }")]
    [InlineData("IEnumerable<byte> Bytes() { var m = buffer.Map(); try { yield return m.Span[0]; } finally { m.Unmap(); } }")]
    [InlineData("IEnumerable<int> Lengths() { var m = buffer.Map(); int length = m.Span.Length; m.Unmap(); yield return length; }")]
    [InlineData("IEnumerable<PageMapping> Views() { yield return buffer.Map(); }")]
    public Task Stays_silent_when_an_iterator_releases_in_a_finally_or_before_its_yield(string member) => Verify.Analyze(Snippets.InMethod("", Members + member));

    [Theory]
    [InlineData("if ({|FOLIO003:buffer.Map()|} is { } view) { view.Span[0] = 1; }")]
    [InlineData("if ({|FOLIO003:buffer.Map()|} is PageMapping view && n > 0) { view.Span[0] = 1; }")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; try { Work(); } catch (Exception e) when (e is InvalidOperationException) { m.Unmap(); throw; } m.Unmap();")]
    [InlineData("var m = {|FOLIO003:allocator.Map(pages)|}; try { Work(); } catch (InvalidOperationException) { m.Unmap(); throw; } m.Unmap();")]
    public Task Reports_mappings_bound_by_patterns_and_exceptions_a_handler_lets_pass(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    /// <summary>Where ownership goes decides the verdict, whatever region (a lock, a try) the code sits in.</summary>
    [Theory]
    [InlineData("if (buffer.Map() is { } view) { view.Span[0] = 1; view.Unmap(); }")]
    [InlineData("if (buffer.Map() is PageMapping view) { using (view) { Work(); } }")]
    [InlineData("var m = allocator.Map(pages); try { Work(); } catch (Exception e) when (e is InvalidOperationException) { m.Unmap(); throw; } catch { m.Unmap(); throw; } m.Unmap();")]
    [InlineData("lock (all) { var m = allocator.Map(pages); all.Add(m); }")]
    [InlineData("try { var m = allocator.Map(pages); all.Add(m); } finally { Work(); }")]
    [InlineData("lock (byId) { var m = buffer.Map(); byId.Add(n, m); }")]
    [InlineData("try { var m = buffer.Map(); byId[n] = m; } finally { Work(); }")]
    [InlineData("var m = buffer.Map(); byId.Add(n, m);")]
    public Task Stays_silent_for_patterns_handlers_and_regions_that_do_not_change_ownership(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Members + "Dictionary<int, PageMapping> byId = new();\n"));

    [Fact]
    public Task Exception_paths_can_be_turned_off() => Verify.Analyze(
        Snippets.InMethod("var m = buffer.Map(); Work(); m.Unmap(); var k = {|FOLIO003:allocator.Map(pages)|}; if (n > 0) return; k.Unmap();", Members),
        "folios.mapping_exception_paths = false");

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO003
        var m = allocator.Map(pages);
        #pragma warning restore FOLIO003
        """));

    [Fact]
    public Task Incomplete_code_is_analyzed_without_failing() => Verify.AnalyzeIncomplete(Snippets.InMethod("var m = allocator.Map(pages; if (n > 0) { m.Unmap( "));
}
