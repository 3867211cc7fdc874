using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.UncheckedAllocationAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class UncheckedAllocationAnalyzerTests
{
    private const string Members = """
        static void Use(object value) { }
        static bool TryAllocate(int order, AllocFlags flags, out Folio folio) { folio = default; return false; }
        bool Ready(PageAllocator a) => a.TryAllocate(1, AllocFlags.None, out _);
        """;

    [Theory]
    [InlineData("{|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out var f)|};")]
    [InlineData("_ = {|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoWarn, out var f)|};")]
    [InlineData("Folio f; {|FOLIO007:allocator.TryAllocate(3, someFlags, out f)|};")]
    [InlineData("{|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out var f, out var reason)|};")]
    [InlineData("Action a = () => {|FOLIO007:allocator.TryAllocate(1, AllocFlags.None, out _)|};")]
    [InlineData("void Local() { {|FOLIO007:allocator.TryAllocate(n, AllocFlags.None, out var f)|}; } Local();")]
    [InlineData("switch (n) { case 1: {|FOLIO007:allocator.TryAllocate(1, AllocFlags.None, out var f)|}; break; }")]
    [InlineData("try { try { {|FOLIO007:allocator.TryAllocate(1, AllocFlags.None, out var f)|}; } finally { } } finally { }")]
    [InlineData("if (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}) return;")]
    [InlineData("if ({|FOLIO007:allocator.TryAllocate(1, AllocFlags.NoFail | AllocFlags.Zero, out var f)|}) { } else { }")]
    [InlineData("var x = {|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|} ? 1 : 0;")]
    [InlineData("while (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}) { }")]
    [InlineData("var flags = AllocFlags.NoFail; if (!{|FOLIO007:allocator.TryAllocate(1, flags, out var f)|}) return;")]
    [InlineData("if (!{|FOLIO007:allocator.TryAllocate(allocator.OrderForSize(8192), AllocFlags.NoFail, out var f)|}) return;")]
    [InlineData("var s = n switch { 0 => {|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|} ? 1 : 0, _ => 2 };")]
    [InlineData("if (!!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}) return;")]
    public Task Reports_ignored_results_and_checks_that_cannot_fail(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Fact]
    public Task Reports_in_generic_and_async_methods() => Verify.Analyze(Snippets.InMethod("", Members + """
        T Generic<T>(T value) { {|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out _)|}; return value; }
        async Task Async() { await Task.Yield(); if (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}) return; }
        """));

    [Theory]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.None, out var f)) return;")]
    [InlineData("var ok = allocator.TryAllocate(2, AllocFlags.None, out var f);")]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.NoFail, out var f)) return;")]
    [InlineData("if (!allocator.TryAllocate(0, someFlags, out var f)) return;")]
    [InlineData("if (!allocator.TryAllocate(n, AllocFlags.NoFail, out var f)) return;")]
    [InlineData("allocator.Allocate(0, AllocFlags.NoFail);")]
    [InlineData("bool ok = allocator.TryAllocate(0, AllocFlags.NoFail, out var f);")]
    [InlineData("Func<bool> t = () => allocator.TryAllocate(1, AllocFlags.None, out _);")]
    [InlineData("TryAllocate(0, AllocFlags.None, out var f);")]
    [InlineData("if (!allocator.TryAllocate(0, AllocFlags.NoWarn, out var f)) return;")]
    [InlineData("Use(allocator.TryAllocate(0, AllocFlags.None, out var f));")]
    [InlineData("var both = allocator.TryAllocate(0, AllocFlags.NoFail, out var f) && n > 0; if (both) return;")]
    [InlineData("if (allocator.TryAllocate(2, AllocFlags.None, out var f) && n > 0) { }")]
    [InlineData("_ = allocator.Allocate(0);")]
    [InlineData("var flags = AllocFlags.NoFail; flags = someFlags; if (!allocator.TryAllocate(0, flags, out var f)) return;")]
    [InlineData("Ready(allocator);")]
    public Task Stays_silent_on_checked_results_and_checks_that_can_fail(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Fact]
    public Task The_max_nofail_order_option_moves_what_cannot_fail() => Verify.Analyze(
        Snippets.InMethod("if (!allocator.TryAllocate(1, AllocFlags.NoFail, out var a)) return; if (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var b)|}) return;"),
        editorConfig: "folios.max_nofail_order = 0");

    [Fact]
    public Task The_messages_name_the_folio_or_the_order()
    {
        var test = Verifier<UncheckedAllocationAnalyzer, EmptyCodeFixProvider>.Create(Snippets.InMethod("""
            Folio kept;
                    {|#0:allocator.TryAllocate(2, AllocFlags.None, out kept)|};
                    if (!{|#1:allocator.TryAllocate(1, AllocFlags.NoFail, out var other)|}) return;
            """), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.AllocationResultIgnored).WithLocation(0).WithArguments("kept"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.FailureCheckThatCannotFail).WithLocation(1).WithArguments(1, 1));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO007
        allocator.TryAllocate(2, AllocFlags.None, out var f);
        if (!allocator.TryAllocate(0, AllocFlags.NoFail, out var g)) return;
        #pragma warning restore FOLIO007
        """));

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { enum AllocFlags { None, NoFail } class PageAllocator { public bool TryAllocate(int order, AllocFlags flags, out object f) { f = null; return false; } }
        class C { void M(PageAllocator a) { a.TryAllocate(4, AllocFlags.None, out var f); if (!a.TryAllocate(0, AllocFlags.NoFail, out var g)) return; } } }
        """, withRuntime: false);

    [Theory]
    [InlineData("{|FOLIO007:allocator.TryAllocate(2, AllocFlags.None, out var f\n|}")]
    [InlineData("if (!{|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|} return;")]
    [InlineData("allocator.TryAllocate(, AllocFlags.None, out var f);")]
    [InlineData("if (!allocator.TryAllocate(0, AllocFlags., out var f)) return;")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body));

    [Theory]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.NoWarn, out var f)) { Console.WriteLine({|FOLIO007:f|}.Span.Length); return; } allocator.Free(f);")]
    [InlineData("if (allocator.TryAllocate(2, AllocFlags.NoWarn, out var f)) { allocator.Free(f); } else { allocator.Free({|FOLIO007:f|}); }")]
    [InlineData("Folio f; if (!allocator.TryAllocate(3, AllocFlags.NoRetry, out f)) throw new InvalidOperationException({|FOLIO007:f|}.ToString());")]
    [InlineData("if (!!!allocator.TryAllocate(2, AllocFlags.None, out var f)) { var s = {|FOLIO007:f|}.Span; }")]
    public Task Reports_the_out_folio_used_where_TryAllocate_failed(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.NoWarn, out var f)) { f = allocator.Allocate(0); } allocator.Free(f);")]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.NoWarn, out var f)) return; allocator.Free(f);")]
    [InlineData("if (allocator.TryAllocate(2, AllocFlags.NoWarn, out var f)) { allocator.Free(f); } else { Console.WriteLine(\"fallback\"); }")]
    [InlineData("if (!allocator.TryAllocate(2, AllocFlags.NoWarn, out var f) && !allocator.TryAllocate(0, AllocFlags.None, out f)) return; allocator.Free(f);")]
    [InlineData("try { var f = allocator.Allocate(0, AllocFlags.NoFail); allocator.Free(f); } catch (PageAllocationException) { Console.WriteLine(\"no progress\"); }")]
    public Task Stays_silent_where_the_folio_is_used_only_on_success(string body) => Verify.Analyze(Snippets.InMethod(body));

    [Theory]
    [InlineData("if (!{|FOLIO007:allocator.TryAllocate(0, n > 0 ? AllocFlags.NoFail : AllocFlags.NoFail | AllocFlags.Zero, out var f)|}) return;")]
    [InlineData("if (!allocator.TryAllocate(0, n > 0 ? AllocFlags.NoFail : AllocFlags.None, out var f)) return;")]
    public Task A_check_cannot_fail_only_when_every_branch_of_the_flags_carries_NoFail(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    // 'is false', '== false' and a flag that keeps the result are tests like '!'.
    [Theory]
    [InlineData("if ({|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|} is false) return;")]
    [InlineData("if ({|FOLIO007:allocator.TryAllocate(1, AllocFlags.NoFail | AllocFlags.Zero, out var f)|} == false) return;")]
    [InlineData("bool ok = {|FOLIO007:allocator.TryAllocate(1, AllocFlags.NoFail, out var f)|}; if (!ok) return;")]
    [InlineData("var ok = {|FOLIO007:allocator.TryAllocate(0, AllocFlags.NoFail, out var f)|}; if (ok is false) throw new InvalidOperationException();")]
    [InlineData("if (allocator.TryAllocate(2, AllocFlags.NoWarn, out var f) is false) { Console.WriteLine({|FOLIO007:f|}.Length); return; }")]
    [InlineData("var got = allocator.TryAllocate(2, AllocFlags.NoWarn, out var f); if (got is false) { allocator.Free({|FOLIO007:f|}); }")]
    public Task Reports_tests_written_with_is_false_or_through_a_flag(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Theory]
    [InlineData("if (allocator.TryAllocate(2, AllocFlags.NoFail, out var f) is false) return;")]
    [InlineData("if (allocator.TryAllocate(0, AllocFlags.NoWarn, out var f) is false) return;")]
    [InlineData("var got = allocator.TryAllocate(2, AllocFlags.NoWarn, out var f); if (got is false) { f = allocator.Allocate(0); } allocator.Free(f);")]
    [InlineData("var got = allocator.TryAllocate(0, AllocFlags.NoFail, out var f); got = n > 0; if (!got) return;")]
    [InlineData("var flags = AllocFlags.NoFail; ref var alias = ref flags; if (n > 0) alias = AllocFlags.NoWarn; if (!allocator.TryAllocate(0, flags, out var f)) return;")]
    [InlineData("var flags = AllocFlags.NoFail; int k; (flags, k) = (AllocFlags.NoWarn, 1); if (!allocator.TryAllocate(0, flags, out var f)) return;")]
    public Task Stays_silent_on_tests_that_can_fail_and_flags_written_again(string body) => Verify.Analyze(Snippets.InMethod(body, Members));
}
