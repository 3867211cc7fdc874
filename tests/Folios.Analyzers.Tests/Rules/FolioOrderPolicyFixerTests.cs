using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.FolioOrderPolicyAnalyzer, Folios.CodeFixes.Rules.FolioOrderPolicyFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class FolioOrderPolicyFixerTests
{
    private const string Limit = "folios.max_folio_order = 1";

    [Theory]
    [InlineData("SingleFolio")]
    [InlineData("FolioOrPages")]
    [InlineData("FolioOrMapped")]
    public Task A_buffer_that_asks_for_a_folio_gets_order_zero_pages(string policy) => Verify.Fix(
        Snippets.InMethod($"using var eb = {{|FOLIO009:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.{policy}, AllocFlags.NoFail)|}};"),
        Snippets.InMethod("using var eb = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.Pages, AllocFlags.NoFail);"),
        editorConfig: Limit);

    [Theory]
    [InlineData("var f = {|FOLIO009:allocator.Allocate(2)|};")]
    [InlineData("var f = {|FOLIO009:allocator.TryAllocate(3, AllocFlags.None, out var g)|};")]
    public Task No_fix_for_a_direct_folio_request(string body) =>
        Verify.Fix(Snippets.InMethod(body), Snippets.InMethod(body), editorConfig: Limit);

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(Snippets.InMethod("{|FOLIO009:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio)|};"), Limit, true);
        test.TestState.Sources.Add(("/0/Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { {|FOLIO009:ExtentBuffer.Allocate(a, 65536, AllocationPolicy.FolioOrPages)|}; } }"));
        test.FixedState.Sources.Add(Snippets.InMethod("ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.Pages);"));
        test.FixedState.Sources.Add(("/0/Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { ExtentBuffer.Allocate(a, 65536, AllocationPolicy.Pages); } }"));
        return test.RunAsync();
    }
}
