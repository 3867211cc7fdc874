using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ContradictoryFlagsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class ContradictoryFlagsAnalyzerTests
{
    private const string Wrappers = """
        static Folio Get(PageAllocator a, AllocFlags flags) => a.Allocate(0, flags);
        static int Raw(int flags) => flags;
        """;

    [Theory]
    [InlineData("allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|});")]
    [InlineData("allocator.Allocate(1, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoRetry|});")]
    [InlineData("allocator.Allocate(0, {|FOLIO005:AllocFlags.RetryMayFail | AllocFlags.NoFail|});")]
    [InlineData("allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait | AllocFlags.NoRetry|});")]
    [InlineData("var flags = AllocFlags.NoFail | AllocFlags.NoRetry; allocator.Allocate(0, {|FOLIO005:flags|});")]
    [InlineData("const AllocFlags Strict = AllocFlags.NoFail | AllocFlags.NoWait; allocator.TryAllocate(1, {|FOLIO005:Strict|}, out var f);")]
    [InlineData("allocator.Allocate(0, {|FOLIO005:(AllocFlags)17|});")]
    [InlineData("allocator.AllocatePages(pages, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|});")]
    [InlineData("allocator.AllocateContiguous(65536, {|FOLIO005:AllocFlags.NoFail | AllocFlags.RetryMayFail|});")]
    [InlineData("using var eb = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.Pages, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|});")]
    [InlineData("allocator.Allocate(flags: {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|}, order: 0);")]
    [InlineData("Func<Folio> lazy = () => allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|});")]
    [InlineData("Folio Local() => allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoRetry|}); Local();")]
    [InlineData("var f = n switch { 0 => allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|}), _ => default };")]
    [InlineData("Get(allocator, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|});")]
    [InlineData("try { try { allocator.Allocate(0, {|FOLIO005:(AllocFlags.NoFail | AllocFlags.Zero) | AllocFlags.NoWait|}); } finally { } } finally { }")]
    [InlineData("allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | (AllocFlags)16|});")]
    public Task Reports_NoFail_with_a_flag_that_gives_up(string body) => Verify.Analyze(Snippets.InMethod(body, Wrappers));

    [Fact]
    public Task Reports_in_generic_and_async_methods() => Verify.Analyze(Snippets.InMethod("", Wrappers + """
        T Generic<T>(Func<Folio, T> use) => use(allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|}));
        async Task<int> Async() { await Task.Yield(); return allocator.Allocate(1, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoRetry|}).Length; }
        """));

    [Theory]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoWait | AllocFlags.NoRetry);")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail | AllocFlags.Zero | AllocFlags.NoWarn);")]
    [InlineData("allocator.Allocate(0, someFlags | AllocFlags.NoWait);")]
    [InlineData("var flags = AllocFlags.NoFail | AllocFlags.NoWait; flags = someFlags; allocator.Allocate(0, flags);")]
    [InlineData("allocator.Allocate(3, AllocFlags.RetryMayFail);")]
    [InlineData("allocator.Allocate(0);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrPages);")]
    [InlineData("var unused = AllocFlags.NoFail | AllocFlags.NoWait;")]
    [InlineData("allocator.Allocate(0, (AllocFlags)0);")]
    [InlineData("allocator.Allocate(0, (AllocFlags)33);")]
    [InlineData("Raw((int)(AllocFlags.NoFail | AllocFlags.NoWait));")]
    [InlineData("Func<AllocFlags, Folio> get = fl => allocator.Allocate(0, fl);")]
    [InlineData("allocator.Allocate(3, AllocFlags.NoRetry | AllocFlags.NoWarn);")]
    [InlineData("Get(allocator, n > 0 ? AllocFlags.NoFail : AllocFlags.NoWait);")]
    public Task Stays_silent_on_consistent_or_unknown_flags(string body) => Verify.Analyze(Snippets.InMethod(body, Wrappers));

    [Fact]
    public Task The_message_names_the_flags_and_what_gives_up()
    {
        var test = Verifier<ContradictoryFlagsAnalyzer, EmptyCodeFixProvider>.Create(
            Snippets.InMethod("allocator.Allocate(0, {|#0:AllocFlags.NoFail | AllocFlags.NoWait | AllocFlags.RetryMayFail|});"), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.ContradictoryFlags).WithLocation(0)
            .WithArguments("AllocFlags.NoFail | AllocFlags.NoWait | AllocFlags.RetryMayFail", "NoWait and RetryMayFail"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO005
        allocator.Allocate(0, AllocFlags.NoFail | AllocFlags.NoWait);
        #pragma warning restore FOLIO005
        """));

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { enum AllocFlags { None, NoFail, NoRetry, NoWait = 16 } class PageAllocator { public object Allocate(int order, AllocFlags flags) => null; }
        class C { void M(PageAllocator a) { a.Allocate(0, AllocFlags.NoFail | AllocFlags.NoWait); } } }
        """, withRuntime: false);

    [Theory]
    [InlineData("allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|}\n")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail | );")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail | AllocFlags.);")]
    [InlineData("allocator.Allocate(, AllocFlags.NoFail | AllocFlags.NoWait")]
    [InlineData("var a = b; var b = a; allocator.Allocate(0, a);")]
    [InlineData("AllocFlags a = a | AllocFlags.NoFail; allocator.Allocate(0, a);")]
    [InlineData("ref var a = ref b; ref var b = ref a; allocator.Allocate(0, a | AllocFlags.NoWait);")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body));

    [Theory]
    [InlineData("var f = AllocFlags.NoFail; f |= AllocFlags.NoRetry; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = AllocFlags.NoFail; if (n > 0) f |= AllocFlags.NoWait; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = n > 0 ? AllocFlags.NoFail | AllocFlags.NoWait : AllocFlags.NoFail; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = n switch { 0 => AllocFlags.NoFail, _ => AllocFlags.NoFail | AllocFlags.RetryMayFail }; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoRetry | AllocFlags.NoWait; f &= ~AllocFlags.NoWait; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("AllocFlags f; if (n > 0) f = AllocFlags.NoFail; else f = AllocFlags.NoRetry; f |= AllocFlags.NoFail; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = AllocFlags.NoFail; for (int i = 0; i < n; i++) f |= AllocFlags.NoWait; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = AllocFlags.NoWait; if (n > 0) f ^= AllocFlags.NoFail; allocator.Allocate(0, {|FOLIO005:f|});")]
    public Task Reports_flags_built_across_statements(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoWait; f &= ~AllocFlags.NoWait; allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoWait; f = AllocFlags.NoFail; allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoWait; allocator.Allocate(0, f); f = AllocFlags.NoFail; allocator.Allocate(0, f);")]
    [InlineData("var f = n > 0 ? AllocFlags.NoFail : AllocFlags.NoWait; allocator.Allocate(0, f);")]
    [InlineData("var f = someFlags; f |= AllocFlags.NoRetry; allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoFail; Adjust(ref f); allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoWarn; if (n > 0) f |= AllocFlags.NoRetry; allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoFail; if (n > 0) f |= AllocFlags.Zero; allocator.Allocate(0, f);")]
    public Task Stays_silent_when_no_path_brings_the_contradiction(string body) =>
        Verify.Analyze(Snippets.InMethod(body, "static void Adjust(ref AllocFlags f) => f |= AllocFlags.NoWait;"));

    // A retry policy chosen in the argument itself, as the same expression held in a local is.
    [Theory]
    [InlineData("bool quick = n > 0; allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | (quick ? AllocFlags.NoRetry : AllocFlags.None)|});")]
    [InlineData("allocator.Allocate(0, {|FOLIO005:n > 0 ? AllocFlags.NoFail | AllocFlags.NoWait : AllocFlags.NoFail|});")]
    [InlineData("allocator.TryAllocate(1, {|FOLIO005:AllocFlags.Zero | (n > 0 ? AllocFlags.NoFail | AllocFlags.RetryMayFail : AllocFlags.NoWarn)|}, out var f);")]
    [InlineData("allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | n switch { 0 => AllocFlags.None, 1 => AllocFlags.Zero, _ => AllocFlags.NoWait }|});")]
    [InlineData("var extra = AllocFlags.None; if (n > 8) extra = AllocFlags.NoRetry; allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | (n > 0 ? extra : AllocFlags.Zero)|});")]
    [InlineData("using var eb = ExtentBuffer.Allocate(allocator, 8192, AllocationPolicy.Pages, {|FOLIO005:n > 0 ? AllocFlags.NoFail | AllocFlags.NoWait : AllocFlags.NoWait|});")]
    public Task Reports_flags_chosen_by_a_condition_in_the_argument(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("bool quick = n > 0; allocator.Allocate(0, AllocFlags.NoFail | (quick ? AllocFlags.Zero : AllocFlags.None));")]
    [InlineData("allocator.Allocate(0, n > 0 ? AllocFlags.NoRetry | AllocFlags.NoWarn : AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoWarn | n switch { 0 => AllocFlags.NoFail, _ => AllocFlags.NoWait });")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail | (n > 0 ? someFlags : AllocFlags.None));")]
    [InlineData("var extra = AllocFlags.None; if (n > 8) extra = AllocFlags.Zero; allocator.Allocate(0, AllocFlags.NoFail | (n > 0 ? extra : AllocFlags.NoWarn));")]
    public Task Stays_silent_when_no_branch_brings_the_contradiction(string body) => Verify.Analyze(Snippets.InMethod(body));

    // Aliases: a ref local's writes are the local's; a lambda or local function may write it at any time.
    [Theory]
    [InlineData("var f = AllocFlags.NoFail; ref var alias = ref f; alias |= AllocFlags.NoWait; allocator.Allocate(0, {|FOLIO005:f|});")]
    [InlineData("var f = AllocFlags.NoFail; ref var alias = ref f; var copy = alias; allocator.Allocate(0, {|FOLIO005:f | AllocFlags.NoRetry|});")]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoWait; ref var alias = ref f; allocator.Allocate(0, {|FOLIO005:alias|});")]
    public Task Reports_flags_written_through_a_ref_local(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoWait; ref var alias = ref f; alias = AllocFlags.NoFail; allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoWait; if (n > 0) f |= AllocFlags.Zero; void Relax() => f = AllocFlags.NoFail; Relax(); allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoFail | AllocFlags.NoWait; if (n > 0) f |= AllocFlags.Zero; Action relax = () => f &= ~AllocFlags.NoWait; relax(); allocator.Allocate(0, f);")]
    [InlineData("var f = AllocFlags.NoFail; var g = AllocFlags.NoWait; ref var alias = ref f; alias = ref g; allocator.Allocate(0, f | AllocFlags.Zero);")]
    public Task Stays_silent_when_an_alias_or_a_capture_rewrites_the_flags(string body) => Verify.Analyze(Snippets.InMethod(body));
}
