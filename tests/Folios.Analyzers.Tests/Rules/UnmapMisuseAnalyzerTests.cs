using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.UnmapMisuseAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class UnmapMisuseAnalyzerTests
{
    private const string Members = """
        static void Work() { }
        static void Release([UnmapsPages] PageMapping mapping) => mapping.Unmap();
        """;

    [Theory]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = buffer.Map(); m.Unmap(); var b = {|FOLIO004:m.Span|}[0];")]
    [InlineData("var m = buffer.Map(); {|FOLIO004:buffer.Dispose()|}; m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); try { m.Span.Clear(); m.Unmap(); } finally { {|FOLIO004:m.Unmap()|}; }")]
    [InlineData("var m = allocator.Map(pages); try { m.Unmap(); Work(); } catch { {|FOLIO004:m.Unmap()|}; throw; }")]
    [InlineData("var m = allocator.Map(pages); if (n > 0) m.Unmap(); {|FOLIO004:m.Unmap()|};")]
    [InlineData("using var m = allocator.Map(pages); m.Unmap(); {|FOLIO004:m.Span|}.Clear();")]
    [InlineData("var m = allocator.Map(pages); m.Dispose(); {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = allocator.Map(pages); for (int i = 0; i < 2; i++) { {|FOLIO004:m.Unmap()|}; }")]
    [InlineData("Action a = () => { var m = allocator.Map(pages); m.Unmap(); {|FOLIO004:m.Unmap()|}; };")]
    [InlineData("void Local() { var m = buffer.Map(); m.Unmap(); {|FOLIO004:m.Span|}.Clear(); } Local();")]
    [InlineData("var m = allocator.Map(pages); Release(m); {|FOLIO004:m.Span|}.Clear();")]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); var x = n switch { 0 => {|FOLIO004:m.Span|}.Length, _ => 0 };")]
    [InlineData("var m = buffer.Map(); try { try { m.Unmap(); } finally { } } finally { {|FOLIO004:m.Unmap()|}; }")]
    [InlineData("PageMapping m; m = buffer.Map(); m.Unmap(); {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = buffer.Map(); try { {|FOLIO004:buffer.Dispose()|}; } finally { m.Unmap(); }")]
    [InlineData("var m = allocator.Map(pages); switch (n) { case 0: m.Unmap(); break; } {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = buffer.Map(); var s = m.Span; m.Unmap(); {|FOLIO004:s|}[0] = 1;")]
    [InlineData("var m = allocator.Map(pages); var s = m.Span.Slice(16, 32); m.Dispose(); {|FOLIO004:s|}.Clear();")]
    [InlineData("Span<byte> s; using (var m = allocator.Map(pages)) { s = m.Span; } {|FOLIO004:s|}.Clear();")]
    [InlineData("var m = allocator.Map(pages); {|FOLIO004:allocator.Free(pages[0])|}; m.Unmap();")]
    [InlineData("var f = allocator.Allocate(0); var m = allocator.Map([f]); {|FOLIO004:allocator.Free(f)|}; m.Unmap();")]
    [InlineData("var m = buffer.Map(); try { Work(); } finally { m.Dispose(); } {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = buffer.Map(); var s = m.Span[2..8]; m.Unmap(); {|FOLIO004:s|}.Clear();")]
    [InlineData("var m = buffer.Map(); ReadOnlySpan<byte> s = m.Span[^4..]; m.Dispose(); var b = {|FOLIO004:s|}[0];")]
    [InlineData("var m = buffer.Map(); m.Unmap(); var t = {|FOLIO004:m.Span|}.Slice(4).ToArray();")]
    [InlineData("if (buffer.Map() is { } view) { view.Unmap(); {|FOLIO004:view.Unmap()|}; }")]
    [InlineData("if (buffer.Map() is PageMapping view) { view.Dispose(); {|FOLIO004:view.Span|}.Clear(); }")]
    [InlineData("var m = buffer.Map(); ref PageMapping alias = ref m; alias.Unmap(); {|FOLIO004:m.Unmap()|};")]
    [InlineData("var m = buffer.Map(); ReadOnlySpan<byte> s = m.Span; m.Unmap(); var b = {|FOLIO004:s|}[0];")]
    public Task Reports_a_second_unmap_a_use_after_unmap_and_a_free_while_mapped(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Members));

    [Fact]
    public Task Reports_in_generic_and_async_methods() => Verify.Analyze(Snippets.InMethod("", Members + """
        T Generic<T>(T value) { var m = allocator.Map(pages); m.Unmap(); {|FOLIO004:m.Unmap()|}; return value; }
        async Task Async() { var m = buffer.Map(); m.Unmap(); await Task.Yield(); {|FOLIO004:m.Span|}.Clear(); }
        """));

    [Theory]
    [InlineData("var m = allocator.Map(pages); m.Unmap();")]
    [InlineData("using var m = allocator.Map(pages); m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); m.Span.Clear(); m.Unmap();")]
    [InlineData("var m = buffer.Map(); try { Work(); m.Unmap(); } finally { if (m.IsMapped) m.Unmap(); }")]
    [InlineData("var m = buffer.Map(); if (n > 0) m.Unmap(); if (m.IsMapped) { m.Span.Clear(); m.Unmap(); }")]
    [InlineData("var m = buffer.Map(); if (n > 0) m.Unmap(); if (!m.IsMapped) return; m.Unmap();")]
    [InlineData("var m = buffer.Map(); var copy = m.Span.ToArray(); m.Unmap(); var b = copy[0];")]
    [InlineData("var m = buffer.Map(); var copy = new byte[8]; m.Span[..8].CopyTo(copy); m.Unmap(); var b = copy[0];")]
    [InlineData("var f = allocator.Allocate(0); var m = allocator.Map([f]); m.Unmap(); allocator.Free(f);")]
    [InlineData("var m = buffer.Map(); m.Unmap(); buffer.Dispose();")]
    [InlineData("var m = allocator.Map(pages); try { m.Span.Clear(); } finally { m.Unmap(); }")]
    [InlineData("var m = allocator.Map(pages); if (n > 0) { m.Unmap(); return; } m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); m = allocator.Map(pages); m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); var l = m.Length + m.PageCount;")]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); m.Dispose();")]
    [InlineData("var m = allocator.Map(pages); Action a = () => m.Unmap(); m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); using (m) { m.Span.Clear(); }")]
    [InlineData("var m = allocator.Map(pages); bool mapped = m.IsMapped; m.Unmap();")]
    [InlineData("for (int i = 0; i < 2; i++) { var m = allocator.Map(pages); m.Span.Clear(); m.Unmap(); }")]
    [InlineData("var m = allocator.Map(pages); try { Work(); } catch { m.Unmap(); throw; } m.Unmap();")]
    [InlineData("var m = allocator.Map(pages); switch (n) { case 0: m.Unmap(); break; default: m.Unmap(); break; }")]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); allocator.Free(pages[0]);")]
    [InlineData("var m = buffer.Map(); var other = ExtentBuffer.Allocate(allocator, 4096); other.Dispose(); m.Unmap();")]
    [InlineData("var m = buffer.Map(); var s = m.Span; s[0] = 1; m.Unmap();")]
    [InlineData("var m = buffer.Map(); var s = m.Span; m.Unmap(); s = default; var l = s.Length;")]
    [InlineData("var m = buffer.Map(); var s = m.Span; m.Unmap(); var b = buffer.ReadByte(0);")]
    public Task Stays_silent_when_each_mapping_is_unmapped_once_after_its_last_use(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Members));

    [Fact]
    public Task Each_misuse_has_its_own_message()
    {
        var test = Verifier<UnmapMisuseAnalyzer, EmptyCodeFixProvider>.Create(Snippets.InMethod("""
            var m = buffer.Map();
                    {|#0:buffer.Dispose()|};
                    m.Unmap();
                    m.Span.Clear();
            """.Replace("m.Span", "{|#1:m.Span|}") + " {|#2:m.Unmap()|};"), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.FreedWhileMapped).WithLocation(0).WithArguments("m"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.UsedAfterUnmap).WithLocation(1).WithArguments("m"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.UnmappedTwice).WithLocation(2).WithArguments("m"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_span_kept_past_the_unmap_is_named_in_its_own_message()
    {
        var test = Verifier<UnmapMisuseAnalyzer, EmptyCodeFixProvider>.Create(
            Snippets.InMethod("var m = buffer.Map(); var keys = m.Span; m.Unmap(); {|#0:keys|}.Clear();"), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.SpanOutlivesMapping).WithLocation(0).WithArguments("keys"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO004
        var m = allocator.Map(pages);
        m.Unmap();
        m.Unmap();
        #pragma warning restore FOLIO004
        """));

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { class PageMapping { public void Unmap() { } } class Allocator { public PageMapping Map() => new(); }
        class C { void M(Allocator a) { var m = a.Map(); m.Unmap(); m.Unmap(); } } }
        """, withRuntime: false);

    [Theory]
    [InlineData("var m = allocator.Map(pages); m.Unmap(); m.Unmap(")]
    [InlineData("var m = allocator.Map(pages) m.Unmap(); m.Unmap();")]
    [InlineData("var m = buffer.Map(); buffer.Dispose(; m.Unmap();")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body));
}
