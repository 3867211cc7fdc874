using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// FOLIO011 and FOLIO012 build no graph for a body whose rented arrays are returned by a try/finally, or at the end of
/// a block nothing jumps out of, with every use consumed inside (<see cref="StructuredReturn"/>). Wherever that proof
/// holds, in the shapes here, the samples and the rule tests' snippets, the flow over the graph finds nothing; one step
/// off each shape, the proof declines.
/// </summary>
public class StructuredReturnTests
{
    private const string Members = "static int Parse(ReadOnlySpan<byte> bytes) => bytes.Length; static int Hash(byte[] bytes, int count) => count;";

    /// <summary>Bodies the proof covers, whether leaks on exception paths are reported (true) or only on normal paths.</summary>
    public static TheoryData<string, bool> Returned => new()
    {
        { "var a = pool.Rent(n); try { Fill(a); n = Parse(a.AsSpan(0, n)); } finally { pool.Return(a); }", true },
        { "var a = pool.Rent(n); try { for (int i = 0; i < n; i++) { if (a[i] == 0) return; a[i] = 1; } } catch (IOException) { n = a.Length; } finally { pool.Return(a, clearArray: true); Work(); }", true },
        { "byte[] a = _pool.Rent(n); try { var span = a.AsSpan(1, n); span.Clear(); n = Parse(span); } finally { _pool.Return(a); }", true },
        { "var a = pool.Rent(n); _stream.Read(a, 0, n); n = Hash(a, n); pool.Return(a);", false },
        { "var a = pool.Rent(n); var span = new Span<byte>(a, 0, n); source.CopyTo(span); n = Parse(span); pool.Return(a); Work();", false },
        { "while (n > 0) { var a = pool.Rent(n); foreach (var b in a) { if (b == 0) break; n--; } for (int i = 0; i < n; i++) { if (a[i] == 1) continue; } pool.Return(a); }", false },
        { "var a = pool.Rent(n); if (a.Length < n) throw new InvalidOperationException(); n = Parse(a); pool.Return(a);", false },
        { "var a = pool.Rent(n); Func<int, int> twice = x => { return x * 2; }; n = twice(Hash(a, n)); pool.Return(a);", false },
        { "var a = pool.Rent(n); pool.Return(a);", false },
        { "byte[]? rented = null; Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); try { source.CopyTo(buffer); n = Parse(buffer.Slice(0, n)); } finally { if (rented is not null) pool.Return(rented); }", false },
        { "byte[]? rented = null; Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); n = Parse(buffer); if (rented != null) { pool.Return(rented); }", false },
        { "byte[] rented; Work(); rented = pool.Rent(n); n = Hash(rented, n); pool.Return(rented);", false },
        { "var a = pool.Rent(n); Fill(a); var memory = a.AsMemory(0, n); try { n = Parse(memory.Span); } finally { pool.Return(a); }", false },
        { "Action<int> local = size => { var a = ArrayPool<byte>.Shared.Rent(size); GC.KeepAlive(a); ArrayPool<byte>.Shared.Return(a); }; local(n);", false },
        { "byte[] Take() { var a = pool.Rent(n); a.AsSpan().Clear(); _stream.Read(a, 0, n); return a; } _kept = Take();", false },
        { "switch (n) { case 0: return; default: byte[]? rented = null; Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); n = Parse(buffer); if (rented is not null) pool.Return(rented); break; }", false },
        { "if (n <= 256) { Span<byte> small = stackalloc byte[n]; n = Parse(small); } else { var arr = ArrayPool<byte>.Shared.Rent(n); var span = new Span<byte>(arr, 0, n); source.CopyTo(span); int result = Parse(span); ArrayPool<byte>.Shared.Return(arr); n = result; }", false },
    };

    /// <summary>One step off a shape: the proof declines, and the flow reports where <c>reported</c> says so.</summary>
    public static TheoryData<string, bool, bool> NearMisses => new()
    {
        { "var a = pool.Rent(n); try { Fill(a); } finally { pool.Return(a); } n = a[0];", false, true },
        { "var a = pool.Rent(n); Work(); try { Fill(a); } finally { pool.Return(a); }", true, true },
        { "var a = pool.Rent(n); try { Fill(a); } finally { Work(); pool.Return(a); }", true, true },
        { "var a = pool.Rent(n); try { pool.Return(a); } finally { pool.Return(a); }", false, true },
        { "var a = pool.Rent(n); try { _kept = a; } finally { pool.Return(a); }", false, false },
        { "Span<byte> kept; var a = pool.Rent(n); try { kept = a; } finally { pool.Return(a); } kept[0] = 1;", false, true },
        { "var a = pool.Rent(n); var span = a.AsSpan(); Fill(a); pool.Return(a); span[0] = 1;", false, true },
        { "var a = pool.Rent(n); if (n > 4) return; Fill(a); pool.Return(a);", false, true },
        { "var a = pool.Rent(n); Fill(a); pool.Return(a); pool.Return(a);", false, true },
        { "var a = pool.Rent(n); Fill(a); _pool.Return(a);", false, false },
        { "var a = pool.Rent(n); Fill(a); pool.Return(a);", true, true },
        { "var a = pool.Rent(n); var b = a; pool.Return(a); b[0] = 1;", false, false },
        { "var a = pool.Rent(n); Action fill = () => Fill(a); fill(); pool.Return(a);", false, false },
        { "for (int i = 0; i < n; i++) { var a = pool.Rent(n); if (i == 2) break; pool.Return(a); }", false, true },
        { "byte[]? rented = null; Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); n = Parse(buffer); pool.Return(rented);", false, false },
        { "byte[]? rented = null; Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); n = Parse(buffer); if (rented != null) pool.Return(rented);", true, true },
        { "byte[]? Take() { var a = pool.Rent(n); if (n == 1) return null; Fill(a); return a; } _kept = Take()!;", false, true },
        { "byte[] Take() { var a = pool.Rent(n); pool.Return(a); return a; } _kept = Take();", false, true },
        { "switch (n) { case 0: return; default: var a = pool.Rent(n); if (n == 1) break; pool.Return(a); break; }", false, true },
        { "byte[]? rented = null; for (int i = 0; i < n; i++) { rented = pool.Rent(n); } if (rented != null) pool.Return(rented);", false, true },
        { "byte[]? rented = null; Span<byte> buffer = n <= 256 ? stackalloc byte[256] : (rented = pool.Rent(n)); if (rented != null) pool.Return(rented); n = Parse(buffer);", false, true },
        { "var a = pool.Rent(n); Fill(a); var memory = a.AsMemory(0, n); try { n = Parse(memory.Span); } finally { pool.Return(a); }", true, true },
    };

    [Theory]
    [MemberData(nameof(Returned))]
    public void The_proof_covers_the_shapes_code_returns_by(string body, bool exceptionLeaksReported)
    {
        var (root, compilation, graph) = Body(Snippets.WithPools(body, Members));
        Assert.False(Transfers.WorthAGraph(root, Kind(compilation), exceptionLeaksReported));
        Assert.Equal(0, Findings(graph, compilation, exceptionLeaksReported));
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void One_step_off_a_shape_the_graph_decides(string body, bool exceptionLeaksReported, bool reported)
    {
        var (root, compilation, graph) = Body(Snippets.WithPools(body, Members));
        Assert.True(Transfers.WorthAGraph(root, Kind(compilation), exceptionLeaksReported));
        Assert.Equal(reported, Findings(graph, compilation, exceptionLeaksReported) > 0);
    }

    [Fact]
    public void Wherever_the_proof_holds_the_flow_finds_nothing()
    {
        int proven = 0, renting = 0;
        foreach (var (body, root, model, compilation) in ProofCorpus.AcquiringBodies(Returned.Select((object[] row) => Snippets.WithPools((string)row[0], Members)), Kind))
        {
            renting++;
            foreach (bool exceptionLeaksReported in new[] { false, true })
            {
                if (Transfers.WorthAGraph(root, Kind(compilation), exceptionLeaksReported))
                    continue;
                proven++;
                Assert.True(Findings(ControlFlowGraph.Create(body, model)!, compilation, exceptionLeaksReported) == 0, $"the proof skips a body the flow reports:\n{body}");
            }
        }
        Assert.True(renting > 60, $"only {renting} bodies rent");
        Assert.True(proven >= 25, $"the proof holds for only {proven} of {renting} bodies");
    }

    private static PooledArrayKind Kind(Compilation compilation) => new(new FrameworkTypes(compilation));

    /// <summary>What FOLIO011 and FOLIO012 would report on the graph and its lambdas' and local functions' graphs.</summary>
    private static int Findings(ControlFlowGraph graph, Compilation compilation, bool exceptionLeaksReported)
    {
        var sites = OwnershipSites.Of(graph, Kind(compilation), exceptionPaths: true, default);
        int findings = sites.Discarded.Count;
        foreach (var local in sites.Tracked.Keys)
        {
            var flow = sites.FlowOf(local, default);
            findings += ((exceptionLeaksReported ? flow.Leaks : flow.LeaksOnNormalPath) ? 1 : 0) + flow.Misuses.Count;
        }
        return findings + sites.Nested.Sum(inner => Findings(inner, compilation, exceptionLeaksReported));
    }

    private static (IOperation Root, Compilation Compilation, ControlFlowGraph Graph) Body(string source)
    {
        var (method, compilation, model) = Repository.MethodM(source);
        return (model.GetOperation(method)!, compilation, ControlFlowGraph.Create(method, model)!);
    }
}
