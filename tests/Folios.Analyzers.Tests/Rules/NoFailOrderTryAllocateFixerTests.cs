using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.NoFailOrderAnalyzer, Folios.CodeFixes.Rules.NoFailOrderFixer>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>FOLIO001 fix (c): the statement becomes TryAllocate without NoFail and a failure branch that throws what Allocate threw.</summary>
public class NoFailOrderTryAllocateFixerTests
{
    private const string TryAllocate = "FOLIO001.TryAllocate";
    private const string Uses = "static void Use(Folio f) { }";

    [Fact]
    public Task A_declaration_becomes_TryAllocate_with_a_failure_branch() => Verify.FixWith(TryAllocate,
        Snippets.InMethod("""
            var f = {|FOLIO001:allocator.Allocate(3, AllocFlags.NoFail)|};
                    Use(f);
            """, Uses),
        Snippets.InMethod("""
            if (!allocator.TryAllocate(3, AllocFlags.None, out var f, out var reason))
                    {
                        throw new PageAllocationException(3, AllocFlags.None, reason);
                    }
                    Use(f);
            """, Uses));

    [Fact]
    public Task An_assignment_writes_the_variable_through_out() => Verify.FixWith(TryAllocate,
        Snippets.InMethod("""
            Folio f;
                    f = {|FOLIO001:allocator.Allocate(allocator.OrderForSize(16384), AllocFlags.Zero | AllocFlags.NoFail)|};
                    held = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};
                    Use(f);
            """, Uses + " Folio held;"),
        Snippets.InMethod("""
            Folio f;
                    if (!allocator.TryAllocate(allocator.OrderForSize(16384), AllocFlags.Zero, out f, out var reason))
                    {
                        throw new PageAllocationException(allocator.OrderForSize(16384), AllocFlags.Zero, reason);
                    }
                    if (!allocator.TryAllocate(2, AllocFlags.None, out held, out var reason2))
                    {
                        throw new PageAllocationException(2, AllocFlags.None, reason2);
                    }
                    Use(f);
            """, Uses + " Folio held;"));

    [Fact]
    public Task A_discarded_result_uses_a_discard_and_a_taken_name_gets_a_number() => Verify.FixWith(TryAllocate,
        Snippets.InMethod("""
            var reason = "warm-up";
                    {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};
            """),
        Snippets.InMethod("""
            var reason = "warm-up";
                    if (!allocator.TryAllocate(2, AllocFlags.None, out _, out var reason2))
                    {
                        throw new PageAllocationException(2, AllocFlags.None, reason2);
                    }
            """));

    [Fact]
    public Task A_return_gets_a_local_then_returns_it() => Verify.FixWith(TryAllocate,
        Snippets.InMethod("", """
            Folio Get(PageAllocator a)
                {
                    return {|FOLIO001:a.Allocate(4, AllocFlags.NoFail)|};
                }
            """),
        Snippets.InMethod("", """
            Folio Get(PageAllocator a)
                {
                    if (!a.TryAllocate(4, AllocFlags.None, out var folio, out var reason))
                    {
                        throw new PageAllocationException(4, AllocFlags.None, reason);
                    }
                    return folio;
                }
            """));

    [Fact]
    public Task Without_a_using_the_exception_type_stays_qualified() => Verify.FixWith(TryAllocate,
        """
        class C
        {
            void M(Folios.PageAllocator allocator)
            {
                var f = {|FOLIO001:allocator.Allocate(2, Folios.AllocFlags.NoFail)|};
                System.Console.WriteLine(f.Order);
            }
        }
        """,
        """
        class C
        {
            void M(Folios.PageAllocator allocator)
            {
                if (!allocator.TryAllocate(2, Folios.AllocFlags.None, out var f, out var reason))
                {
                    throw new Folios.PageAllocationException(2, Folios.AllocFlags.None, reason);
                }
                System.Console.WriteLine(f.Order);
            }
        }
        """);

    [Fact]
    public Task Fix_all_in_one_method_gives_each_failure_its_own_name()
    {
        var test = Verify.Create(Snippets.InMethod("""
            var a = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};
                    var b = {|FOLIO001:allocator.Allocate(3, AllocFlags.NoFail)|};
                    Use(a); Use(b);
            """, Uses), null, true);
        test.FixedCode = Snippets.InMethod("""
            if (!allocator.TryAllocate(2, AllocFlags.None, out var a, out var reason))
                    {
                        throw new PageAllocationException(2, AllocFlags.None, reason);
                    }
                    if (!allocator.TryAllocate(3, AllocFlags.None, out var b, out var reason2))
                    {
                        throw new PageAllocationException(3, AllocFlags.None, reason2);
                    }
                    Use(a); Use(b);
            """, Uses);
        test.CodeActionEquivalenceKey = TryAllocate;
        return test.RunAsync();
    }

    [Theory]
    [InlineData("if (n > 0) pages[0] = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; else Use(default);")]
    [InlineData("if (n > 0) {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("Func<Folio> get = () => {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("object f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("Use({|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|});")]
    [InlineData("using var f = {|FOLIO001:ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.NoFail)|};")]
    [InlineData("var ok = {|FOLIO001:allocator.TryAllocate(2, AllocFlags.NoFail, out var f)|};")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(Make().OrderForSize(16384), AllocFlags.NoFail)|};")]
    [InlineData("Current = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(flags: AllocFlags.NoFail, order: 2)|};")]
    public Task No_TryAllocate_fix_where_the_statement_does_not_allow_it(string body)
    {
        const string members = Uses + " Folio Current { get; set; } PageAllocator Make() => allocator;";
        return Verify.FixWith(TryAllocate, Snippets.InMethod(body, members), Snippets.InMethod(body, members));
    }
}
