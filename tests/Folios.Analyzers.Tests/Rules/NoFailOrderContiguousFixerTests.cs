using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.NoFailOrderAnalyzer, Folios.CodeFixes.Rules.NoFailOrderFixer>;

namespace Folios.Analyzers.Tests.Rules;

/// <summary>FOLIO001 fix (b): a folio used only as memory becomes an AllocateContiguous buffer of the same size.</summary>
public class NoFailOrderContiguousFixerTests
{
    private const string Contiguous = "FOLIO001.Contiguous";
    private const string Uses = "static void Use(Folio f) { }";

    [Fact]
    public Task A_folio_used_as_memory_and_freed_becomes_a_contiguous_buffer() => Verify.FixWith(Contiguous,
        Snippets.InMethod("""
            var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};
                    f.Span.Clear();
                    Console.WriteLine(f.Length);
                    allocator.Free(f);
            """),
        Snippets.InMethod("""
            var f = allocator.AllocateContiguous(allocator.PageSize << 2, AllocFlags.NoFail);
                    f.Span.Clear();
                    Console.WriteLine(f.Length);
                    f.Dispose();
            """));

    [Fact]
    public Task An_explicit_type_a_finally_and_a_computed_order_are_carried_over() => Verify.FixWith(Contiguous,
        Snippets.InMethod("""
            Folio f = {|FOLIO001:allocator.Allocate(allocator.OrderForSize(16384), AllocFlags.NoFail | AllocFlags.Zero)|};
                    try
                    {
                        f.Span[0] = 1;
                    }
                    finally
                    {
                        allocator.Free(f);
                    }
            """),
        Snippets.InMethod("""
            ContiguousBuffer f = allocator.AllocateContiguous(allocator.PageSize << allocator.OrderForSize(16384), AllocFlags.NoFail | AllocFlags.Zero);
                    try
                    {
                        f.Span[0] = 1;
                    }
                    finally
                    {
                        f.Dispose();
                    }
            """));

    [Fact]
    public Task An_order_expression_is_parenthesised_and_a_lambda_use_is_followed() => Verify.FixWith(Contiguous,
        Snippets.InMethod("""
            const int Order = 1;
                    var f = {|FOLIO001:allocator.Allocate(Order + 1, AllocFlags.NoFail)|};
                    Func<int> length = () => f.Span.Length;
            """),
        Snippets.InMethod("""
            const int Order = 1;
                    var f = allocator.AllocateContiguous(allocator.PageSize << (Order + 1), AllocFlags.NoFail);
                    Func<int> length = () => f.Span.Length;
            """));

    [Theory]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; Use(f);")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; Console.WriteLine(f.Order);")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; pages[0] = f;")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; new PageAllocator().Free(f);")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; f = default;")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; Action free = () => allocator.Free(f);")]
    [InlineData("Folio f; f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("object f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("var f = {|FOLIO001:new PageAllocator().Allocate(2, AllocFlags.NoFail)|};")]
    [InlineData("var f = {|FOLIO001:allocator.Allocate(flags: AllocFlags.NoFail, order: 2)|};")]
    [InlineData("switch (n) { case 0: var f = {|FOLIO001:allocator.Allocate(2, AllocFlags.NoFail)|}; break; case 1: f = default; Use(f); break; }")]
    public Task No_contiguous_fix_when_the_folio_is_used_as_a_folio(string body) =>
        Verify.FixWith(Contiguous, Snippets.InMethod(body, Uses), Snippets.InMethod(body, Uses));
}
