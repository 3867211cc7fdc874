using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.FolioOrderPolicyAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class FolioOrderPolicyAnalyzerTests
{
    private const string Limit = "folios.max_folio_order = 1";

    private const string Wrappers = """
        static Folio Get(PageAllocator a, [PageOrder] int order) => a.Allocate(order);
        static Folio Sized(PageAllocator a, [AllocationSize] int bytes) => a.Allocate(a.OrderForSize(bytes));
        static Folio Plain(PageAllocator a, int order) => a.Allocate(order);
        """;

    [Theory]
    [InlineData("{|FOLIO009:allocator.Allocate(2)|};")]
    [InlineData("{|FOLIO009:allocator.TryAllocate(3, AllocFlags.None, out var f)|};")]
    [InlineData("{|FOLIO009:allocator.Allocate(allocator.OrderForSize(16384))|};")]
    [InlineData("const int Order = 4; {|FOLIO009:allocator.Allocate(Order)|};")]
    [InlineData("{|FOLIO009:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio)|};")]
    [InlineData("{|FOLIO009:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrPages)|};")]
    [InlineData("{|FOLIO009:ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.FolioOrMapped, AllocFlags.None)|};")]
    [InlineData("{|FOLIO009:Get(allocator, 2)|};")]
    [InlineData("{|FOLIO009:Sized(allocator, 65536)|};")]
    [InlineData("Func<Folio> lazy = () => {|FOLIO009:allocator.Allocate(2)|};")]
    [InlineData("Folio Local() => {|FOLIO009:allocator.Allocate(3)|}; Local();")]
    [InlineData("var f = n switch { 0 => allocator.Allocate(0), _ => {|FOLIO009:allocator.Allocate(2)|} };")]
    [InlineData("try { try { {|FOLIO009:allocator.Allocate(2, AllocFlags.NoWarn)|}; } finally { } } finally { }")]
    [InlineData("using var eb = {|FOLIO009:ExtentBuffer.Allocate(allocator, 9000, AllocationPolicy.FolioOrPages)|};")]
    [InlineData("{|FOLIO009:allocator.Allocate(flags: AllocFlags.None, order: 2)|};")]
    [InlineData("var o = 3; {|FOLIO009:allocator.Allocate(o)|};")]
    public Task Reports_folios_above_the_limit(string body) => Verify.Analyze(Snippets.InMethod(body, Wrappers), Limit);

    [Fact]
    public Task Reports_in_generic_and_async_methods() => Verify.Analyze(Snippets.InMethod("", Wrappers + """
        T Generic<T>(Func<Folio, T> use) => use({|FOLIO009:allocator.Allocate(2)|});
        async Task<int> Async() { await Task.Yield(); return {|FOLIO009:allocator.Allocate(3)|}.Length; }
        """), Limit);

    [Theory]
    [InlineData("allocator.Allocate(1);")]
    [InlineData("allocator.Allocate(n);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.Pages);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 8192, AllocationPolicy.SingleFolio);")]
    [InlineData("var order = allocator.OrderForSize(65536);")]
    [InlineData("allocator.AllocateContiguous(65536);")]
    [InlineData("Plain(allocator, 3);")]
    [InlineData("allocator.AllocatePages(pages);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384, (AllocationPolicy)n);")]
    [InlineData("var o = 3; o = n; allocator.Allocate(o);")]
    [InlineData("Get(allocator, 1);")]
    [InlineData("Sized(allocator, 8192);")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail);")]
    [InlineData("allocator.TryAllocate(1, AllocFlags.None, out var f);")]
    public Task Stays_silent_within_the_limit_or_without_a_folio(string body) => Verify.Analyze(Snippets.InMethod(body, Wrappers), Limit);

    [Fact]
    public Task Without_the_option_the_rule_is_silent() =>
        Verify.Analyze(Snippets.InMethod("allocator.Allocate(5); ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.SingleFolio);"));

    [Fact]
    public Task The_option_sets_the_limit() => Verify.Analyze(
        Snippets.InMethod("allocator.Allocate(3); {|FOLIO009:allocator.Allocate(4)|};"), "folios.max_folio_order = 3");

    [Fact]
    public Task The_message_names_the_order_the_size_and_the_limit()
    {
        var test = Verifier<FolioOrderPolicyAnalyzer, EmptyCodeFixProvider>.Create(Snippets.InMethod("{|#0:allocator.Allocate(3)|};"), Limit, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.FolioOrderAbovePolicy).WithLocation(0).WithArguments(3, 32768L, 1));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO009
        allocator.Allocate(4);
        #pragma warning restore FOLIO009
        """), Limit);

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { class PageAllocator { public object Allocate(int order) => null; }
        class C { void M(PageAllocator a) { a.Allocate(4); } } }
        """, Limit, withRuntime: false);

    [Theory]
    [InlineData("allocator.Allocate(4")]
    [InlineData("allocator.Allocate(, AllocFlags.None);")]
    [InlineData("ExtentBuffer.Allocate(allocator, , AllocationPolicy.SingleFolio);")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body));
}
