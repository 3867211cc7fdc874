using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.CostlyOrderAnalyzer, Folios.CodeFixes.Rules.CostlyOrderFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class CostlyOrderFixerTests
{
    private const string Uses = "static void Use(Folio f) { }";

    [Theory]
    [InlineData("AllocFlags.None", "AllocFlags.NoRetry | AllocFlags.NoWarn")]
    [InlineData("AllocFlags.NoWarn", "AllocFlags.NoWarn | AllocFlags.NoRetry")]
    [InlineData("AllocFlags.Zero | AllocFlags.NoRetry", "AllocFlags.Zero | AllocFlags.NoRetry | AllocFlags.NoWarn")]
    public Task An_attempt_with_a_fallback_gets_the_missing_flags(string flags, string expected) => Verify.Fix(
        Snippets.InMethod($"if (!allocator.TryAllocate(2, {{|FOLIO006:{flags}|}}, out var f)) return;"),
        Snippets.InMethod($"if (!allocator.TryAllocate(2, {expected}, out var f)) return;"));

    [Fact]
    public Task A_flags_local_is_or_ed_with_the_missing_flags() => Verify.Fix(
        Snippets.InMethod("var flags = AllocFlags.Zero; if (!allocator.TryAllocate(3, {|FOLIO006:flags|}, out var f)) return;"),
        Snippets.InMethod("var flags = AllocFlags.Zero; if (!allocator.TryAllocate(3, flags | AllocFlags.NoRetry | AllocFlags.NoWarn, out var f)) return;"));

    [Fact]
    public Task Flags_left_to_their_default_are_added_as_a_named_argument() => Verify.Fix(
        Snippets.InMethod("Folio f; try { f = {|FOLIO006:allocator.Allocate(4)|}; } catch (PageAllocationException) { f = allocator.Allocate(0); } allocator.Free(f);"),
        Snippets.InMethod("Folio f; try { f = allocator.Allocate(4, flags: AllocFlags.NoRetry | AllocFlags.NoWarn); } catch (PageAllocationException) { f = allocator.Allocate(0); } allocator.Free(f);"));

    [Fact]
    public Task A_costly_single_folio_buffer_falls_back_to_pages() => Verify.Fix(
        Snippets.InMethod("using var eb = {|FOLIO006:ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.SingleFolio, AllocFlags.None)|};"),
        Snippets.InMethod("using var eb = ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.FolioOrPages, AllocFlags.None);"));

    [Fact]
    public Task A_costly_folio_used_as_memory_becomes_AllocateContiguous() => Verify.Fix(
        Snippets.InMethod("var f = {|FOLIO006:allocator.Allocate(4, AllocFlags.Zero)|}; f.Span.Clear(); allocator.Free(f);"),
        Snippets.InMethod("var f = allocator.AllocateContiguous(allocator.PageSize << 4, AllocFlags.Zero); f.Span.Clear(); f.Dispose();"));

    [Theory]
    [InlineData("var f = {|FOLIO006:allocator.Allocate(4)|}; Use(f);")]
    [InlineData("Use({|FOLIO006:allocator.Allocate(5)|});")]
    public Task No_fix_where_the_folio_is_used_as_a_folio(string body) =>
        Verify.Fix(Snippets.InMethod(body, Uses), Snippets.InMethod(body, Uses));

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(Snippets.InMethod("if (!allocator.TryAllocate(2, {|FOLIO006:AllocFlags.None|}, out var f)) return;"), null, true);
        test.TestState.Sources.Add(("Other.cs", Snippets.Usings + "class D { bool M(PageAllocator a) => a.TryAllocate(3, {|FOLIO006:AllocFlags.NoWarn|}, out var g) ? true : false; }"));
        test.FixedState.Sources.Add(Snippets.InMethod("if (!allocator.TryAllocate(2, AllocFlags.NoRetry | AllocFlags.NoWarn, out var f)) return;"));
        test.FixedState.Sources.Add(("Other.cs", Snippets.Usings + "class D { bool M(PageAllocator a) => a.TryAllocate(3, AllocFlags.NoWarn | AllocFlags.NoRetry, out var g) ? true : false; }"));
        return test.RunAsync();
    }
}
