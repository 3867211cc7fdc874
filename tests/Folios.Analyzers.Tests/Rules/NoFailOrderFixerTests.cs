using Folios.CodeFixes.Rules;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.NoFailOrderAnalyzer, Folios.CodeFixes.Rules.NoFailOrderFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class NoFailOrderFixerTests
{
    private const string DropNoFail = "FOLIO001.DropNoFail";
    private const string TryAllocate = "FOLIO001.TryAllocate";

    [Theory]
    [InlineData(0, "Pages")]
    [InlineData(1, "FolioOrPages")]
    public Task A_single_folio_buffer_becomes_order_zero_pages(int action, string policy) => Verify.Fix(
        Snippets.InMethod("""
            using var a = {|FOLIO001:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.NoFail)|};
                    using var b = {|FOLIO001:ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.SingleFolio)|};
            """),
        Snippets.InMethod($"""
            using var a = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.{policy}, AllocFlags.NoFail);
                    using var b = ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.{policy});
            """),
        action);

    [Theory]
    [InlineData("AllocFlags.NoFail", "AllocFlags.None")]
    [InlineData("AllocFlags.NoFail | AllocFlags.Zero", "AllocFlags.Zero")]
    [InlineData("AllocFlags.Zero | AllocFlags.NoFail", "AllocFlags.Zero")]
    [InlineData("AllocFlags.Zero | AllocFlags.NoFail | AllocFlags.NoWarn", "AllocFlags.Zero | AllocFlags.NoWarn")]
    public Task NoFail_is_dropped_from_the_flags(string flags, string expected) => Verify.FixWith(DropNoFail,
        Snippets.InMethod($"var f = {{|FOLIO001:allocator.Allocate(3, {flags})|}}; var g = {{|FOLIO001:allocator.TryAllocate(2, {flags}, out var h)|}};"),
        Snippets.InMethod($"var f = allocator.Allocate(3, {expected}); var g = allocator.TryAllocate(2, {expected}, out var h);"));

    [Theory]
    [InlineData(DropNoFail, "var flags = AllocFlags.NoFail; var f = {|FOLIO001:allocator.Allocate(2, flags)|};")]
    [InlineData(DropNoFail, "const AllocFlags Strict = AllocFlags.NoFail; var f = {|FOLIO001:allocator.Allocate(2, Strict)|};")]
    [InlineData(TryAllocate, "var flags = AllocFlags.NoFail; var f = {|FOLIO001:allocator.Allocate(2, flags)|};")]
    public Task NoFail_stays_where_it_is_not_written_in_the_call(string key, string body) => Verify.FixWith(key, Snippets.InMethod(body), Snippets.InMethod(body));

    [Fact]
    public Task A_policy_that_is_not_spelled_out_keeps_it_and_drops_NoFail() => Verify.FixWith(DropNoFail,
        Snippets.InMethod("var f = {|FOLIO001:ExtentBuffer.Allocate(allocator, 16384, (AllocationPolicy)1, AllocFlags.NoFail)|};"),
        Snippets.InMethod("var f = ExtentBuffer.Allocate(allocator, 16384, (AllocationPolicy)1, AllocFlags.None);"));

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(Snippets.InMethod("{|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};"), null, true);
        test.CodeActionEquivalenceKey = DropNoFail;
        test.TestState.Sources.Add(("Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { {|FOLIO001:a.Allocate(5, AllocFlags.NoFail | AllocFlags.Zero)|}; } }"));
        test.FixedState.Sources.Add(Snippets.InMethod("allocator.Allocate(2, AllocFlags.None);"));
        test.FixedState.Sources.Add(("Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { a.Allocate(5, AllocFlags.Zero); } }"));
        return test.RunAsync();
    }
}
