using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.NoFailOrderAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class NoFailOrderAnalyzerTests
{
    private const string Wrappers = """
        static Folio Get(PageAllocator a, [PageOrder] int order, AllocFlags flags) => a.Allocate(order, flags);
        static Folio Sized(PageAllocator a, [AllocationSize] int bytes, AllocFlags flags) => a.Allocate(a.OrderForSize(bytes), flags);
        static Folio Plain(PageAllocator a, int order, AllocFlags flags) => a.Allocate(order, flags);
        T Generic<T>(Func<Folio, T> use) => use({|FOLIO001:allocator.Allocate(3, AllocFlags.NoFail)|});
        async Task<int> Async() { await Task.Yield(); return {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}.Length; }
        """;

    [Theory]
    [InlineData("{|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("const int Order = 3; {|FOLIO001:allocator.Allocate(Order, AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(1 + 1, AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(allocator.OrderForSize(16384), AllocFlags.NoFail)|};")]
    [InlineData("var order = allocator.OrderForSize(65536); {|FOLIO001:allocator.Allocate(order, AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail | AllocFlags.Zero)|};")]
    [InlineData("var flags = AllocFlags.NoFail | AllocFlags.Zero; {|FOLIO001:allocator.Allocate(2, flags)|};")]
    [InlineData("{|FOLIO001:allocator.TryAllocate(3, AllocFlags.NoFail, out var folio)|};")]
    [InlineData("{|FOLIO001:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(flags: AllocFlags.NoFail, order: 2)|};")]
    [InlineData("Func<Folio> lazy = () => {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("Folio Local() => {|FOLIO001:allocator.Allocate(4, AllocFlags.NoFail)|}; Local();")]
    [InlineData("var f = n switch { 0 => allocator.Allocate(0, AllocFlags.NoFail), _ => {|FOLIO001:allocator.Allocate(4, AllocFlags.NoFail)|} };")]
    [InlineData("{|FOLIO001:Get(allocator, 2, AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:Sized(allocator, 16384, AllocFlags.NoFail)|};")]
    [InlineData("using var eb = {|FOLIO001:ExtentBuffer.Allocate(allocator, 9000, AllocationPolicy.SingleFolio)|};")]
    [InlineData("try { try { {|FOLIO001:allocator.Allocate(2, (AllocFlags)1)|}; } finally { } } finally { }")]
    public Task Reports_NoFail_above_order_one(string body) => Verify.Analyze(Snippets.InMethod(body, Wrappers));

    [Theory]
    [InlineData("allocator.Allocate(1, AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail | AllocFlags.Zero);")]
    [InlineData("allocator.Allocate(2);")]
    [InlineData("allocator.Allocate(4, AllocFlags.NoRetry | AllocFlags.NoWarn);")]
    [InlineData("allocator.Allocate(n, AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(2, someFlags);")]
    [InlineData("var flags = AllocFlags.NoFail; flags = someFlags; allocator.Allocate(2, flags);")]
    [InlineData("var order = 3; order = n; allocator.Allocate(order, AllocFlags.NoFail);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrPages);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrMapped, AllocFlags.NoFail);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 8192, AllocationPolicy.SingleFolio);")]
    [InlineData("allocator.AllocateContiguous(65536, AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(allocator.OrderForSize(8192), AllocFlags.NoFail);")]
    [InlineData("Plain(allocator, 2, AllocFlags.NoFail);")]
    [InlineData("Get(allocator, 1, AllocFlags.NoFail);")]
    [InlineData("Sized(allocator, 4096, AllocFlags.NoFail | AllocFlags.Zero);")]
    [InlineData("Func<int, Folio> lazy = o => allocator.Allocate(o, AllocFlags.NoFail);")]
    public Task Stays_silent_on_reliable_or_unknown_requests(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Wrappers.Replace("{|FOLIO001:", "").Replace("|}", "")
            .Replace("allocator.Allocate(3, AllocFlags.NoFail)", "allocator.Allocate(0)").Replace("allocator.Allocate(2, AllocFlags.NoFail)", "allocator.Allocate(1)")));

    [Fact]
    public Task The_page_size_option_changes_the_order_of_a_size() => Verify.Analyze(
        Snippets.InMethod("""
            {|FOLIO001:allocator.Allocate(allocator.OrderForSize(65536), AllocFlags.NoFail)|};
            allocator.Allocate(allocator.OrderForSize(32768), AllocFlags.NoFail);
            """),
        editorConfig: "folios.page_size = 16384");

    [Fact]
    public Task The_max_nofail_order_option_raises_the_threshold() => Verify.Analyze(
        Snippets.InMethod("allocator.Allocate(2, AllocFlags.NoFail); {|FOLIO001:allocator.Allocate(3, AllocFlags.NoFail)|};"),
        editorConfig: "folios.max_nofail_order = 2");

    [Fact]
    public Task The_message_names_the_order_the_size_and_the_limit()
    {
        var test = Verifier<NoFailOrderAnalyzer, EmptyCodeFixProvider>.Create(Snippets.InMethod("{|#0:allocator.Allocate(2, AllocFlags.NoFail)|};"), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.NoFailAboveOrderOne).WithLocation(0).WithArguments(2, 16384L, 1));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO001
        allocator.Allocate(2, AllocFlags.NoFail);
        #pragma warning restore FOLIO001
        """));

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { enum AllocFlags { None, NoFail } class PageAllocator { public object Allocate(int order, AllocFlags flags) => null; }
        class C { void M(PageAllocator a) { a.Allocate(4, AllocFlags.NoFail); } } }
        """, withRuntime: false);

    [Theory]
    [InlineData("{|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail\n|}")]
    [InlineData("allocator.Allocate(, AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(2, AllocFlags.);")]
    [InlineData("ExtentBuffer.Allocate(allocator, , AllocationPolicy.SingleFolio);")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body.Replace("\\n", "\n")));

    [Theory]
    [InlineData("{|FOLIO001:allocator.Allocate(System.Numerics.BitOperations.Log2(16), AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(allocator.OrderForSize(2048 * sizeof(long)), AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(allocator.OrderForSize(4096 * System.Runtime.CompilerServices.Unsafe.SizeOf<int>()), AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(Sizes.NodeOrder, AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate(allocator.OrderForSize(Sizes.NodeBytes), AllocFlags.NoFail)|};")]
    [InlineData("{|FOLIO001:allocator.Allocate((Sizes.NodeBytes >> 12) / 2, AllocFlags.NoFail)|};")]
    public Task Folds_orders_from_log2_sizeof_and_constants_of_other_types(string body) =>
        Verify.Analyze(Snippets.InMethod(body, "static class Sizes { public const int NodeBytes = 16384; public const int NodeOrder = 2; }"));

    [Theory]
    [InlineData("allocator.Allocate(System.Numerics.BitOperations.Log2(2), AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(allocator.OrderForSize(512 * sizeof(long)), AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(System.Numerics.BitOperations.Log2((uint)n), AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(allocator.OrderForSize(n * sizeof(long)), AllocFlags.NoFail);")]
    public Task Stays_silent_when_the_folded_order_is_guaranteed_or_unknown(string body) => Verify.Analyze(Snippets.InMethod(body));

    /// <summary>Every place code can be: each finding reported once, including a field's initializer and a member of an attributed type.</summary>
    [Fact]
    public Task Reports_in_every_member_that_holds_code_once() => Verify.Analyze(Snippets.Usings + """
        [Serializable]
        class Holder(PageAllocator allocator)
        {
            private static readonly PageAllocator Shared = new PageAllocator();
            private readonly Folio _big = {|FOLIO001:Shared.Allocate(3, AllocFlags.NoFail)|}, _small = Shared.Allocate(1, AllocFlags.NoFail);
            private readonly Func<Folio> _later = () => {|FOLIO001:Shared.Allocate(2, AllocFlags.NoFail)|};

            public Holder() : this({|FOLIO001:Shared.Allocate(2, AllocFlags.NoFail)|}.Length > 0 ? Shared : Shared) { }
            public Folio Big => {|FOLIO001:allocator.Allocate(4, AllocFlags.NoFail)|};
            public Folio Initialized { get; } = {|FOLIO001:Shared.Allocate(5, AllocFlags.NoFail)|};
            public Folio this[int order] { get { return {|FOLIO001:allocator.Allocate(6, AllocFlags.NoFail)|}; } }
            public static Holder operator +(Holder h, int n) { {|FOLIO001:Shared.Allocate(7, AllocFlags.NoFail)|}; return h; }
        }
        record Sized(Folio Folio);
        record Big(PageAllocator Allocator) : Sized({|FOLIO001:Allocator.Allocate(8, AllocFlags.NoFail)|});
        """);

    [Fact]
    public Task Reports_in_top_level_statements()
    {
        var test = Verifier<NoFailOrderAnalyzer, EmptyCodeFixProvider>.Create(Snippets.Usings + """
            var allocator = new PageAllocator();
            {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};
            allocator.Allocate(1, AllocFlags.NoFail);
            static Folio Local(PageAllocator a) => {|FOLIO001:a.Allocate(3, AllocFlags.NoFail)|};
            """, null, true);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }
}
