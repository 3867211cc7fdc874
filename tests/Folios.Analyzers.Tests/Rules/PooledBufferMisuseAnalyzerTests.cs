using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.PooledBufferMisuseAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class PooledBufferMisuseAnalyzerTests
{
    [Theory]
    [InlineData("var a = ArrayPool<byte>.Shared.Rent(n); ArrayPool<byte>.Shared.Return(a); {|FOLIO011:a|}[0] = 1;")]
    [InlineData("var a = pool.Rent(n); Fill(a); pool.Return(a); _stream.Write({|FOLIO011:a|}, 0, n);")]
    [InlineData("var a = pool.Rent(n); pool.Return(a); {|FOLIO011:pool.Return(a)|};")]
    [InlineData("var a = pool.Rent(n); if (n > 8) pool.Return(a); {|FOLIO011:pool.Return(a)|};")]
    [InlineData("var a = pool.Rent(n); if (n > 8) pool.Return(a); var first = {|FOLIO011:a|}[0];")]
    [InlineData("var a = pool.Rent(n); try { Fill(a); pool.Return(a); Work(); } catch { {|FOLIO011:pool.Return(a)|}; throw; }")]
    [InlineData("var a = pool.Rent(n); try { pool.Return(a); Work(); } finally { {|FOLIO011:pool.Return(a)|}; }")]
    // SharpCompress's async tar header reader checks the checksum of the header after the finally returned its buffer.
    [InlineData("var a = pool.Rent(n); try { Fill(a); } finally { pool.Return(a); } _stream.Write({|FOLIO011:a|}, 0, n);")]
    [InlineData("var a = pool.Rent(n); var s = a.AsSpan(0, n); pool.Return(a); {|FOLIO011:s|}[0] = 1;")]
    [InlineData("var a = pool.Rent(n); Span<byte> s = a; pool.Return(a); {|FOLIO011:s|}.Clear();")]
    [InlineData("var a = pool.Rent(n); var segment = new ArraySegment<byte>(a, 0, n); pool.Return(a); _stream.Write({|FOLIO011:segment|});")]
    [InlineData("var a = pool.Rent(n); ReadOnlyMemory<byte> m = a.AsMemory(0, n); pool.Return(a); _stream.Write({|FOLIO011:m|}.Span);")]
    [InlineData("for (int i = 0; i < 2; i++) { var a = pool.Rent(n); pool.Return(a); {|FOLIO011:pool.Return(a)|}; }")]
    [InlineData("var own = ArrayPool<byte>.Create(); var a = ArrayPool<byte>.Shared.Rent(n); {|FOLIO011:own.Return(a)|};")]
    [InlineData("var a = pool.Rent(n); ref byte[] alias = ref a; pool.Return(alias); {|FOLIO011:a|}[0] = 1;")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n); owner.Dispose(); {|FOLIO011:owner.Memory|}.Span[0] = 1;")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n); var memory = owner.Memory; owner.Dispose(); {|FOLIO011:memory|}.Span.Clear();")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n); owner.Dispose(); {|FOLIO011:owner.Dispose()|};")]
    [InlineData("if (pool.Rent(n) is { } a) { pool.Return(a); {|FOLIO011:a|}[0] = 1; }")]
    public Task Reports_a_pooled_buffer_used_after_its_return_returned_twice_or_to_another_pool(string body) =>
        Verify.Analyze(Snippets.WithPools(body));

    /// <summary>Issue dotnet/runtime#33767's shape: the try returns, code after it throws, the catch returns again.</summary>
    [Fact]
    public Task Reports_the_return_in_a_catch_after_the_try_returned() => Verify.Analyze(Snippets.WithPools("", """
        int Read(Stream stream, int count)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(count);
            try
            {
                int read = stream.Read(buffer, 0, count);
                ArrayPool<byte>.Shared.Return(buffer);
                stream.Flush();
                return read;
            }
            catch
            {
                {|FOLIO011:ArrayPool<byte>.Shared.Return(buffer)|};
                throw;
            }
        }
        """));

    /// <summary>
    /// gRPC's message reader, Garnet's and SharpCompress' scratch arrays grow in a try: return, then rent a larger one.
    /// Only a Rent that throws (a size no pool serves) leaves the old array for the finally to return again: latent,
    /// reported with <c>folios.pool_exception_paths = true</c>.
    /// </summary>
    public static TheoryData<string> GrownInATry() =>
    [
        "byte[] a = pool.Rent(16); try { if (a.Length < n) { pool.Return(a); a = pool.Rent(n); } Fill(a); } finally { if (a != null) {|FOLIO011:pool.Return(a)|}; }",
        "var a = pool.Rent(16); try { while (a.Length < n) { pool.Return(a); a = pool.Rent(a.Length * 2); } Fill(a); } finally { {|FOLIO011:pool.Return(a)|}; }",
        // Garnet's scratch array: returned under a null test, then rented again for the next command.
        "byte[] a = null; try { for (int i = 0; i < n; i++) { if (a != null) { pool.Return(a); } a = pool.Rent(n + i); Fill(a); } } finally { if (a != null) { {|FOLIO011:pool.Return(a)|}; } }",
    ];

    [Theory]
    [MemberData(nameof(GrownInATry))]
    public Task By_default_a_return_reached_only_when_the_replacing_rent_throws_is_not_reported(string body) =>
        Verify.Analyze(Snippets.WithPools(Snippets.Unmarked(body)));

    [Theory]
    [MemberData(nameof(GrownInATry))]
    public Task With_exception_paths_on_it_is(string body) => Verify.Analyze(Snippets.WithPools(body), "folios.pool_exception_paths = true");

    /// <summary>Anything else that may throw between the return and the new rent leaves the old array too, and is reported by default.</summary>
    [Fact]
    public Task Reports_a_grow_with_a_call_between_the_return_and_the_rent() => Verify.Analyze(Snippets.WithPools(
        "byte[] a = pool.Rent(16); try { if (a.Length < n) { pool.Return(a); Work(); a = pool.Rent(n); } Fill(a); } finally { {|FOLIO011:pool.Return(a)|}; }"));

    [Theory]
    [InlineData("byte[] a = pool.Rent(16); try { if (a.Length < n) { var larger = pool.Rent(n); var old = a; a = larger; pool.Return(old); } Fill(a); } finally { pool.Return(a); }")]
    [InlineData("var a = pool.Rent(n); try { Fill(a); _stream.Write(a, 0, n); } finally { pool.Return(a); }")]
    [InlineData("var a = pool.Rent(n); pool.Return(a); a = null;")]
    [InlineData("var a = pool.Rent(n); pool.Return(a); var length = a.Length;")]
    [InlineData("var a = pool.Rent(n); pool.Return(a); if (a != null) Work();")]
    [InlineData("var a = pool.Rent(n); pool.Return(a, clearArray: true); a = pool.Rent(n); a[0] = 1; pool.Return(a);")]
    [InlineData("var a = pool.Rent(n); if (n > 0) { pool.Return(a); return; } a[0] = 1; pool.Return(a);")]
    [InlineData("var a = _pool.Rent(n); _pool.Return(a);")]
    [InlineData("var a = _pool.Rent(n); ArrayPool<byte>.Shared.Return(a);")]
    [InlineData("var own = ArrayPool<byte>.Create(); var a = own.Rent(n); own.Return(a);")]
    [InlineData("for (int i = 0; i < 2; i++) { var a = pool.Rent(n); a[0] = 1; pool.Return(a); }")]
    [InlineData("var a = pool.Rent(n); var copy = a.AsSpan(0, n).ToArray(); pool.Return(a); copy[0] = 1;")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n); owner.Memory.Span[0] = 1; owner.Dispose();")]
    [InlineData("using (var owner = MemoryPool<byte>.Shared.Rent(n)) { owner.Memory.Span.Clear(); }")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n); try { owner.Memory.Span.Clear(); } finally { owner.Dispose(); }")]
    public Task Stays_silent_when_each_buffer_goes_back_once_after_its_last_use(string body) =>
        Verify.Analyze(Snippets.WithPools(body));

    /// <summary>dotnet/runtime's own shape: a stack buffer when small, a rented one when not, returned when it was rented.</summary>
    [Theory]
    [InlineData("if (rented != null) ArrayPool<byte>.Shared.Return(rented);")]
    [InlineData("if (rented is not null) ArrayPool<byte>.Shared.Return(rented);")]
    [InlineData("if (rented is { }) ArrayPool<byte>.Shared.Return(rented);")]
    public Task Stays_silent_on_the_rented_local_pattern(string release) => Verify.Analyze(Snippets.WithPools($$"""
        byte[] rented = null;
        Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(n));
        buffer[0] = 1;
        {{release}}
        """));

    [Fact]
    public Task Reports_the_rented_local_pattern_used_after_its_return() => Verify.Analyze(Snippets.WithPools("""
        byte[] rented = null;
        Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(n));
        if (rented != null) ArrayPool<byte>.Shared.Return(rented);
        {|FOLIO011:buffer|}[0] = 1;
        """));

    /// <summary>One mistake, one diagnostic: the uses after one return are reported once, at the first.</summary>
    [Fact]
    public Task Reports_every_use_after_one_return_once() => Verify.Analyze(Snippets.WithPools("""
        var a = pool.Rent(n);
        pool.Return(a);
        {|FOLIO011:a|}[0] = 1;
        a[1] = 2;
        _stream.Write(a, 0, 2);
        """));

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.WithPools("""
        var a = pool.Rent(n);
        pool.Return(a);
        #pragma warning disable FOLIO011
        pool.Return(a);
        #pragma warning restore FOLIO011
        """));

    [Fact]
    public Task Incomplete_code_is_analyzed_without_failing() => Verify.AnalyzeIncomplete(Snippets.WithPools("var a = pool.Rent(n; pool.Return(a); a[0 = "));
}
