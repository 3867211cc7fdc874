using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.PooledBufferMisuseAnalyzer, Folios.CodeFixes.Rules.PooledBufferMisuseFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class PooledBufferMisuseFixerTests
{
    [Fact]
    public Task A_second_return_that_always_follows_one_is_removed() => Verify.Fix(
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    a[0] = 1;
                    pool.Return(a);
                    {|FOLIO011:pool.Return(a)|};
                    Work();
            """),
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    a[0] = 1;
                    pool.Return(a);
                    Work();
            """));

    [Fact]
    public Task The_return_moves_after_the_last_use() => Verify.Fix(
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    Fill(a);
                    pool.Return(a);
                    _stream.Write({|FOLIO011:a|}, 0, n);
                    a[0] = 0;
                    Work();
            """),
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    Fill(a);
                    _stream.Write(a, 0, n);
                    a[0] = 0;
                    pool.Return(a);
                    Work();
            """));

    [Fact]
    public Task The_return_moves_after_the_last_use_of_a_view() => Verify.Fix(
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    var s = a.AsSpan(0, n);
                    pool.Return(a);
                    {|FOLIO011:s|}.Clear();
                    Work();
            """),
        Snippets.WithPools("""
            var a = pool.Rent(n);
                    var s = a.AsSpan(0, n);
                    s.Clear();
                    pool.Return(a);
                    Work();
            """));

    /// <summary>Moving the return past a way out of the block would skip it on that path: no fix.</summary>
    [Theory]
    [InlineData("var a = pool.Rent(n); pool.Return(a); if (n > 8) return; {|FOLIO011:a|}[0] = 1;")]
    [InlineData("var a = pool.Rent(n); if (n > 0) { pool.Return(a); } {|FOLIO011:a|}[0] = 1; {|FOLIO011:pool.Return(a)|};")]
    [InlineData("var own = ArrayPool<byte>.Create(); var a = pool.Rent(n); {|FOLIO011:own.Return(a)|};")]
    public Task No_fix_where_moving_or_removing_would_change_a_path(string body) => Verify.Fix(Snippets.WithPools(body), Snippets.WithPools(body));
}
