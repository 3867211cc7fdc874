using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.UncheckedAllocationAnalyzer, Folios.CodeFixes.Rules.UncheckedAllocationFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class UncheckedAllocationFixerTests
{
    private const string Uses = "static void Use(Folio f) { }";

    [Theory]
    [InlineData("{|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out var f)|};", "var f = allocator.Allocate(2, AllocFlags.None);")]
    [InlineData("Folio g; {|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out g)|};", "Folio g; g = allocator.Allocate(2, AllocFlags.None);")]
    [InlineData("_ = {|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoWarn, out Folio h)|};", "Folio h = allocator.Allocate(0, AllocFlags.NoWarn);")]
    [InlineData("{|FOLIO007:allocator.TryAllocate(0, AllocFlags.None, out _)|};", "allocator.Allocate(0, AllocFlags.None);")]
    public Task An_ignored_result_becomes_Allocate(string body, string expected) =>
        Verify.Fix(Snippets.InMethod(body, Uses), Snippets.InMethod(expected, Uses));

    [Fact]
    public Task A_check_that_cannot_fail_goes_with_its_dead_branch() => Verify.Fix(
        Snippets.InMethod("""
            if (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|})
                    {
                        return;
                    }
                    Use(f);
            """, Uses),
        Snippets.InMethod("""
            var f = allocator.Allocate(0, AllocFlags.NoFail);
                    Use(f);
            """, Uses));

    [Theory]
    [InlineData("is false")]
    [InlineData("== false")]
    public Task A_check_that_cannot_fail_written_with_false_goes_too(string test) => Verify.Fix(
        Snippets.InMethod($"if ({{|FOLIO007:allocator.TryAllocate(1, AllocFlags.NoFail, out var f)|}} {test}) {{ return; }} Use(f);", Uses),
        Snippets.InMethod("var f = allocator.Allocate(1, AllocFlags.NoFail); Use(f);", Uses));

    [Theory]
    [InlineData("if ({|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}) { Use(f); }")]
    [InlineData("bool ok = {|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}; if (!ok) return; Use(f);")]
    [InlineData("if (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}) return; else Use(f);")]
    [InlineData("{|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out var f, out var reason)|};")]
    [InlineData("Action a = () => {|FOLIO007:allocator.TryAllocate(1, AllocFlags.None, out _)|};")]
    [InlineData("if (n > 0) {|FOLIO007:allocator.TryAllocate(1, AllocFlags.None, out _)|}; else Use(default);")]
    [InlineData("{|FOLIO007:allocator.TryAllocate(folio: out var f, flags: AllocFlags.None, order: 1)|};")]
    public Task No_fix_where_Allocate_would_not_fit(string body) =>
        Verify.Fix(Snippets.InMethod(body, Uses), Snippets.InMethod(body, Uses));

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(Snippets.InMethod("{|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out var f)|}; Use(f);", Uses), null, true);
        test.TestState.Sources.Add(("Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { if (!{|FOLIO007:a.TryAllocate(1, AllocFlags.NoFail, out var g)|}) { return; } } }"));
        test.FixedState.Sources.Add(Snippets.InMethod("var f = allocator.Allocate(2, AllocFlags.None); Use(f);", Uses));
        test.FixedState.Sources.Add(("Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { var g = a.Allocate(1, AllocFlags.NoFail); } }"));
        return test.RunAsync();
    }
}
