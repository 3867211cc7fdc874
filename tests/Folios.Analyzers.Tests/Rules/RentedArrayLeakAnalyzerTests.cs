using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.RentedArrayLeakAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class RentedArrayLeakAnalyzerTests
{
    [Theory]
    [InlineData("var a = {|FOLIO012:ArrayPool<byte>.Shared.Rent(n)|}; a[0] = 1;")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; Fill(a); _stream.Write(a, 0, n);")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; if (n > 8) return; pool.Return(a);")]
    [InlineData("{|FOLIO012:pool.Rent(n)|};")]
    [InlineData("_stream.Write({|FOLIO012:pool.Rent(n)|}, 0, n);")]
    [InlineData("for (int i = 0; i < n; i++) { var a = {|FOLIO012:pool.Rent(n)|}; if (i == 2) continue; pool.Return(a); }")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; a = {|FOLIO012:pool.Rent(2 * n)|}; pool.Return(a);")]
    [InlineData("var a = {|FOLIO012:_pool.Rent(n)|}; switch (n) { case 0: _pool.Return(a); break; }")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; while (n < 8) { if (n > 3) { pool.Return(a); return; } n++; }")]
    // MemoryPack's Brotli decompressor: a chunk that produced no output is neither added to the sequence nor returned.
    [InlineData("var chunks = new List<ReadOnlyMemory<byte>>(); var a = {|FOLIO012:pool.Rent(n)|}; int written = source.Length - n; if (written > 0) chunks.Add(a.AsMemory(0, written)); chunks.Clear();")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; var s = a.AsSpan(0, n); s.Clear();")]
    public Task Reports_a_rented_array_not_returned_on_a_normal_path(string body) => Verify.Analyze(Snippets.WithPools(body));

    [Theory]
    [InlineData("var a = pool.Rent(n); try { Fill(a); } finally { pool.Return(a); }")]
    [InlineData("var a = pool.Rent(n); Fill(a); pool.Return(a);")]
    [InlineData("var a = pool.Rent(n); if (n > 8) throw new ArgumentException(); pool.Return(a);")]
    [InlineData("_kept = pool.Rent(n);")]
    [InlineData("var a = pool.Rent(n); _kept = a;")]
    [InlineData("var a = pool.Rent(n); var list = new List<byte[]> { a }; Keep(list);")]
    [InlineData("var a = pool.Rent(n); Keep(new Rented(a));")]
    [InlineData("var a = pool.Rent(n); if (n > 0) { pool.Return(a); return; } pool.Return(a);")]
    [InlineData("var a = pool.Rent(n); while (true) { if (n > 3) { pool.Return(a); return; } n++; }")]
    [InlineData("var a = pool.Rent(n); Finish(a); void Finish(byte[] local) { try { Fill(local); } finally { ArrayPool<byte>.Shared.Return(local); } }")]
    [InlineData("byte[] rented = null; Span<byte> b = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); b.Clear(); if (rented != null) pool.Return(rented);")]
    [InlineData("var owner = MemoryPool<byte>.Shared.Rent(n);")]
    public Task Stays_silent_when_the_array_goes_back_or_its_ownership_leaves(string body) =>
        Verify.Analyze(Snippets.WithPools(body, "static void Keep(object o) { }\nsealed class Rented(byte[] array) { public byte[] Array { get; } = array; }\n"));

    // A Memory<T> or ArraySegment<T> of the array leads back to it (MemoryMarshal.TryGetArray): kept in a field or
    // handed to an owner, it takes the array along (Garnet keeps its pending results and replication copies so).
    [Theory]
    [InlineData("var a = pool.Rent(n); _pending = a.AsMemory()[..n];")]
    [InlineData("var a = pool.Rent(n); var m = a.AsMemory(0, n); source.CopyTo(m); Keep(new Job(m));")]
    [InlineData("var a = pool.Rent(n); _segment = new ArraySegment<byte>(a, 0, n);")]
    [InlineData("var m = pool.Rent(n).AsMemory(0, n); source.CopyTo(m); Keep(new Job(m));")]
    public Task Stays_silent_when_a_memory_of_the_array_goes_to_an_owner(string body) =>
        Verify.Analyze(Snippets.WithPools(body, MemoryOwners));

    [Theory]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; var m = a.AsMemory(0, n); Inspect(m);")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; Keep(new Job(a.AsSpan(0, n).ToArray()));")]
    [InlineData("var s = {|FOLIO012:pool.Rent(n)|}.AsSpan(0, n); s.Clear();")]
    public Task Reports_an_array_whose_memory_goes_nowhere(string body) => Verify.Analyze(Snippets.WithPools(body, MemoryOwners));

    private const string MemoryOwners = """
        Memory<byte> _pending;
        ArraySegment<byte> _segment;
        static void Keep(object o) { }
        static void Inspect(ReadOnlyMemory<byte> m) { }
        sealed record Job(Memory<byte> Data);
        """;

    [Theory]
    [InlineData("byte[] Make(int n) => ArrayPool<byte>.Shared.Rent(n);")]
    [InlineData("byte[] Made(int n) { var a = ArrayPool<byte>.Shared.Rent(n); a[0] = 1; return a; }")]
    [InlineData("void Out(int n, out byte[] a) { a = ArrayPool<byte>.Shared.Rent(n); }")]
    public Task Stays_silent_when_members_hand_the_array_out(string member) => Verify.Analyze(Snippets.WithPools("", member));

    /// <summary>
    /// Methods of the project that keep what they are given (read from their source): a holder's setter (nats.net's
    /// <c>SetArray</c>), a segment's <c>Assign</c> (Nerdbank.Streams), a return helper (OpenTelemetry's
    /// <c>ReturnBuffer</c>); and, for the reports, methods that only look at the array or copy it into a local.
    /// </summary>
    private const string Keepers = """
        sealed class Holder { byte[] _array; public void SetArray(byte[] array) => _array = array; }
        sealed class Segment { byte[] array; internal void Assign(byte[] array) { this.array = array ?? throw new ArgumentNullException(nameof(array)); } }
        static void ReturnBuffer(ArrayPool<byte> pool, byte[] buffer) => pool.Return(buffer, clearArray: true);
        static int Inspect(byte[] array) { var copy = array; return copy.Length; }
        static void Clear(byte[] array) { array[0] = 0; }
        """;

    [Theory]
    [InlineData("var a = pool.Rent(n); new Holder().SetArray(a);")]
    [InlineData("var a = pool.Rent(n); var segment = new Segment(); segment.Assign(a);")]
    [InlineData("var a = pool.Rent(n); try { Fill(a); } finally { ReturnBuffer(pool, a); }")]
    public Task Stays_silent_when_a_method_of_the_project_keeps_the_array(string body) => Verify.Analyze(Snippets.WithPools(body, Keepers));

    [Theory]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; _ = Inspect(a);")]
    [InlineData("var a = {|FOLIO012:pool.Rent(n)|}; Clear(a);")]
    public Task Reports_an_array_a_method_of_the_project_only_uses(string body) => Verify.Analyze(Snippets.WithPools(body, Keepers));

    /// <summary>A store whose value may throw (<c>?? throw</c>) is still a store: the graph captures its target first.</summary>
    [Theory]
    [InlineData("var a = pool.Rent(n); _kept = a ?? throw new InvalidOperationException();")]
    // SharpCompress' fragmented window: rent a block, shrinking the request while the pool gives nothing.
    [InlineData("var blocks = new byte[4][]; byte[] a = null; while (n > 16) { a = pool.Rent(n); if (a != null) break; n -= n / 32; } blocks[0] = a ?? throw new InvalidOperationException(); Keep(blocks);")]
    public Task Stays_silent_when_the_array_is_stored_through_a_throwing_coalesce(string body) =>
        Verify.Analyze(Snippets.WithPools(body, "static void Keep(byte[][] blocks) { }"));

    [Fact]
    public Task Reports_an_array_passed_on_through_a_throwing_coalesce() =>
        Verify.Analyze(Snippets.WithPools("var a = {|FOLIO012:pool.Rent(n)|}; Fill(a ?? throw new InvalidOperationException());"));

    private const string ThrowingBodies = "var a = {|#0:pool.Rent(n)|}; Work(); pool.Return(a); var b = {|#1:pool.Rent(n)|}; if (n > 8) throw new ArgumentException(); pool.Return(b);";

    [Fact]
    public Task Exception_paths_are_not_reported_by_default() => Verify.Analyze(Snippets.WithPools(ThrowingBodies.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", "")));

    [Fact]
    public Task Exception_paths_are_reported_when_asked()
    {
        var test = Verifier<Folios.Analyzers.Rules.RentedArrayLeakAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>.Create(
            Snippets.WithPools(ThrowingBodies), "folios.pool_exception_paths = true", withRuntime: false);
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.RentedArrayNotReturnedOnException).WithLocation(0).WithArguments("pool", 16));
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.RentedArrayNotReturnedOnPath).WithLocation(1).WithArguments("pool", 16));
        return test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.WithPools("""
        #pragma warning disable FOLIO012
        var a = pool.Rent(n);
        #pragma warning restore FOLIO012
        """));
}
