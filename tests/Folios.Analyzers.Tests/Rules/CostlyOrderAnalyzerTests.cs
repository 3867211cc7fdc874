using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.CostlyOrderAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class CostlyOrderAnalyzerTests
{
    private const string Wrappers = "static Folio Get(PageAllocator a, [PageOrder] int order) => a.Allocate(order, AllocFlags.NoWarn | AllocFlags.NoRetry);";

    [Theory]
    [InlineData("{|FOLIO006:allocator.Allocate(4)|};")]
    [InlineData("{|FOLIO006:allocator.Allocate(5, AllocFlags.Zero)|};")]
    [InlineData("{|FOLIO006:allocator.Allocate(allocator.OrderForSize(65536))|};")]
    [InlineData("const int Order = 6; {|FOLIO006:allocator.Allocate(Order, AllocFlags.RetryMayFail)|};")]
    [InlineData("{|FOLIO006:ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.SingleFolio, AllocFlags.None)|};")]
    [InlineData("if (!allocator.TryAllocate(2, {|FOLIO006:AllocFlags.None|}, out var f)) return;")]
    [InlineData("if (!allocator.TryAllocate(3, {|FOLIO006:AllocFlags.NoWarn|}, out var f)) return;")]
    [InlineData("if (allocator.TryAllocate(4, {|FOLIO006:AllocFlags.NoRetry|}, out var f)) { }")]
    [InlineData("var x = allocator.TryAllocate(2, {|FOLIO006:AllocFlags.Zero|}, out var f) ? 1 : 0;")]
    [InlineData("Func<Folio> lazy = () => {|FOLIO006:allocator.Allocate(4)|};")]
    [InlineData("Folio Local() => {|FOLIO006:allocator.Allocate(7)|}; Local();")]
    [InlineData("var f = n switch { 0 => allocator.Allocate(0), _ => {|FOLIO006:allocator.Allocate(4)|} };")]
    [InlineData("try { try { {|FOLIO006:allocator.Allocate(4, AllocFlags.NoWarn)|}; } finally { } } finally { }")]
    [InlineData("using var eb = {|FOLIO006:ExtentBuffer.Allocate(allocator, 131072, AllocationPolicy.SingleFolio, AllocFlags.Zero)|};")]
    [InlineData("{|FOLIO006:allocator.Allocate(flags: AllocFlags.None, order: 4)|};")]
    [InlineData("var flags = AllocFlags.Zero; if (!allocator.TryAllocate(2, {|FOLIO006:flags|}, out var f)) return;")]
    [InlineData("var order = 4; ref var o = ref order; {|FOLIO006:allocator.Allocate(o)|};")]
    public Task Reports_costly_orders_without_fallback_and_attempts_that_do_not_fail_fast(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Wrappers));

    [Fact]
    public Task Reports_in_generic_and_async_methods() => Verify.Analyze(Snippets.InMethod("", Wrappers + """
        T Generic<T>(Func<Folio, T> use) => use({|FOLIO006:allocator.Allocate(4)|});
        async Task<bool> Async() { await Task.Yield(); return allocator.TryAllocate(2, {|FOLIO006:AllocFlags.None|}, out var f) ? true : false; }
        """));

    [Theory]
    [InlineData("allocator.Allocate(3);")]
    [InlineData("allocator.Allocate(4, AllocFlags.NoFail);")]
    [InlineData("allocator.Allocate(n);")]
    [InlineData("if (!allocator.TryAllocate(4, AllocFlags.NoRetry | AllocFlags.NoWarn, out var f)) return;")]
    [InlineData("if (!allocator.TryAllocate(1, AllocFlags.None, out var f)) return;")]
    [InlineData("allocator.TryAllocate(4, AllocFlags.None, out var f);")]
    [InlineData("var ok = allocator.TryAllocate(4, AllocFlags.None, out var f);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 65536);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.FolioOrPages);")]
    [InlineData("ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.SingleFolio);")]
    [InlineData("allocator.AllocateContiguous(1 << 20);")]
    [InlineData("if (!allocator.TryAllocate(2, someFlags, out var f)) return;")]
    [InlineData("Get(allocator, 5);")]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.NoFail, out var f)) return;")]
    [InlineData("allocator.Allocate(0, AllocFlags.None);")]
    [InlineData("allocator.AllocatePages(pages);")]
    [InlineData("var order = 4; ref var o = ref order; o = 1; allocator.Allocate(order);")]
    public Task Stays_silent_on_cheap_orders_fallbacks_that_fail_fast_and_NoFail(string body) =>
        Verify.Analyze(Snippets.InMethod(body, Wrappers));

    [Fact]
    public Task Each_finding_has_its_own_message()
    {
        var test = Verifier<CostlyOrderAnalyzer, EmptyCodeFixProvider>.Create(Snippets.InMethod(
            "{|#0:allocator.Allocate(4)|}; if (!allocator.TryAllocate(2, {|#1:AllocFlags.None|}, out var f)) return;"), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.CostlyOrderWithoutFallback).WithLocation(0).WithArguments(4, 65536L));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.OpportunisticWithoutFlags).WithLocation(1).WithArguments(2, "AllocFlags.NoRetry and AllocFlags.NoWarn"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO006
        allocator.Allocate(5);
        #pragma warning restore FOLIO006
        """));

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { class PageAllocator { public object Allocate(int order) => null; }
        class C { void M(PageAllocator a) { a.Allocate(6); } } }
        """, withRuntime: false);

    [Theory]
    [InlineData("{|FOLIO006:allocator.Allocate(4\n|}")]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags., out var f)) return;")]
    [InlineData("ExtentBuffer.Allocate(allocator, , AllocationPolicy.SingleFolio);")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body));

    [Theory]
    [InlineData("{|FOLIO006:allocator.Allocate(System.Numerics.BitOperations.Log2(64))|};")]
    [InlineData("{|FOLIO006:allocator.Allocate(allocator.OrderForSize(8192 * sizeof(long)))|};")]
    [InlineData("{|FOLIO006:allocator.Allocate(allocator.OrderForSize(System.Runtime.CompilerServices.Unsafe.SizeOf<long>() << 13))|};")]
    public Task Folds_orders_from_log2_and_sizeof(string body) => Verify.Analyze(Snippets.InMethod(body));

    // Flags chosen by a condition in the argument: every branch is a request of its own.
    [Theory]
    [InlineData("if (!allocator.TryAllocate(4, {|FOLIO006:n > 0 ? AllocFlags.NoRetry | AllocFlags.NoWarn : AllocFlags.NoWarn|}, out var f)) return;")]
    [InlineData("if (!allocator.TryAllocate(2, {|FOLIO006:AllocFlags.NoWarn | (n > 0 ? AllocFlags.NoRetry : AllocFlags.Zero)|}, out var f)) return;")]
    [InlineData("{|FOLIO006:allocator.Allocate(4, n > 0 ? AllocFlags.NoFail : AllocFlags.Zero)|};")]
    public Task Reports_each_branch_of_flags_chosen_in_the_argument(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("if (!allocator.TryAllocate(4, n > 0 ? AllocFlags.NoRetry | AllocFlags.NoWarn : AllocFlags.NoRetry | AllocFlags.NoWarn | AllocFlags.Zero, out var f)) return;")]
    [InlineData("if (!allocator.TryAllocate(4, n > 0 ? AllocFlags.NoRetry | AllocFlags.NoWarn : AllocFlags.NoFail, out var f)) return;")]
    [InlineData("allocator.Allocate(4, n > 0 ? AllocFlags.NoFail : AllocFlags.NoFail | AllocFlags.Zero);")]
    public Task Stays_silent_when_every_branch_fails_fast_or_carries_NoFail(string body) => Verify.Analyze(Snippets.InMethod(body));

    // A fallback however it is written: a catch of the failure, a flag that keeps the result, a test with 'is false'.
    [Theory]
    [InlineData("Folio f; try { f = {|FOLIO006:allocator.Allocate(4)|}; } catch (PageAllocationException) { f = allocator.Allocate(0); } allocator.Free(f);")]
    [InlineData("try { var index = allocator.Allocate(5, {|FOLIO006:AllocFlags.Zero|}); allocator.Free(index); } catch (PageAllocationException) { Console.WriteLine(\"no index: scanning instead\"); }")]
    [InlineData("try { try { var f = allocator.Allocate(4, {|FOLIO006:AllocFlags.NoWarn|}); allocator.Free(f); } finally { } } catch (Exception) { }")]
    [InlineData("bool got = allocator.TryAllocate(4, {|FOLIO006:AllocFlags.None|}, out var f); if (!got) f = allocator.Allocate(0);")]
    [InlineData("if (allocator.TryAllocate(3, {|FOLIO006:AllocFlags.NoWarn|}, out var f) is false) f = allocator.Allocate(0);")]
    [InlineData("var fast = allocator.TryAllocate(2, {|FOLIO006:AllocFlags.Zero|}, out var f); if (fast == false) return;")]
    [InlineData("var fast = allocator.TryAllocate(2, {|FOLIO006:AllocFlags.NoRetry|}, out var f); if (fast is not true) return;")]
    [InlineData("try { var f = {|FOLIO006:allocator.Allocate(4)|}; } catch (PageAllocationException e) { throw new InvalidOperationException(\"no index\", e); }")]
    [InlineData("try { Func<Folio> later = () => {|FOLIO006:allocator.Allocate(4)|}; } catch (PageAllocationException) { }")]
    [InlineData("try { } catch (PageAllocationException) { var f = {|FOLIO006:allocator.Allocate(4)|}; }")]
    public Task Reads_a_fallback_however_it_is_written(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("Folio f; try { f = allocator.Allocate(4, AllocFlags.NoRetry | AllocFlags.NoWarn); } catch (PageAllocationException) { f = allocator.Allocate(0); } allocator.Free(f);")]
    [InlineData("bool got = allocator.TryAllocate(4, AllocFlags.NoRetry | AllocFlags.NoWarn, out var f); if (!got) f = allocator.Allocate(0);")]
    [InlineData("if (allocator.TryAllocate(4, AllocFlags.NoRetry | AllocFlags.NoWarn, out var f) is false) f = allocator.Allocate(0);")]
    [InlineData("try { using var eb = ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.Pages, AllocFlags.None); } catch (PageAllocationException) { }")]
    [InlineData("Folio f; try { f = allocator.Allocate(1); } catch (PageAllocationException) { f = allocator.Allocate(0); } allocator.Free(f);")]
    [InlineData("bool got = allocator.TryAllocate(4, AllocFlags.None, out var f); got = n > 0; if (!got) return;")]
    [InlineData("var both = allocator.TryAllocate(4, AllocFlags.None, out var f) && n > 0; if (both) allocator.Free(f);")]
    public Task Stays_silent_on_fallbacks_that_fail_fast_and_results_that_decide_nothing(string body) => Verify.Analyze(Snippets.InMethod(body));
}
