using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.RentedArrayLeakAnalyzer, Folios.CodeFixes.Rules.RentedArrayLeakFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class RentedArrayLeakFixerTests
{
    [Fact]
    public Task The_uses_move_into_a_try_whose_finally_returns_the_array() => Verify.Fix(
        Snippets.WithPools("""
            var a = {|FOLIO012:pool.Rent(n)|};
                    Fill(a);
                    _stream.Write(a, 0, n);
            """),
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    try
                    {
                        Fill(a);
                        _stream.Write(a, 0, n);
                    }
                    finally
                    {
                        pool.Return(a);
                    }
            """));

    [Fact]
    public Task The_explicit_return_becomes_the_finally() => Verify.Fix(
        Snippets.WithPools("""
            var a = {|FOLIO012:ArrayPool<byte>.Shared.Rent(n)|};
                    if (n > 8)
                        return;
                    Fill(a);
                    ArrayPool<byte>.Shared.Return(a, clearArray: true);
                    Work();
            """),
        Snippets.WithPools("""
            var a = ArrayPool<byte>.Shared.Rent(n);
                    try
                    {
                        if (n > 8)
                            return;
                        Fill(a);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(a, clearArray: true);
                    }
                    Work();
            """));

    /// <summary>A finally would return twice, or too early for a later use, or the array is not this block's to return: no fix.</summary>
    [Theory]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; if (n > 8) { pool.Return(a); return; } if (n > 4) return; pool.Return(a);")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; if (n > 8) return; pool.Return(a); a = null;")]
    [InlineData("var a = {|FOLIO012:Make().Rent(n)|}; a[0] = 1;")]
    [InlineData("{|FOLIO012:pool.Rent(n)|};")]
    public Task No_fix_where_a_finally_would_change_a_path(string body) =>
        Verify.Fix(Snippets.WithPools(body, "static ArrayPool<byte> Make() => ArrayPool<byte>.Shared;"), Snippets.WithPools(body, "static ArrayPool<byte> Make() => ArrayPool<byte>.Shared;"));
}
