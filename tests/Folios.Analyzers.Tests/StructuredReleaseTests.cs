using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// FOLIO003 and FOLIO004 build no graph for a body whose mappings are released by a using or a try/finally they
/// cannot escape (<see cref="StructuredRelease"/>). Wherever that proof holds, in the shapes here, the samples and
/// the rule tests' snippets, the flow over the graph finds nothing; one step off each shape, the proof declines.
/// </summary>
public class StructuredReleaseTests
{
    private const string Members = "static void Work() { } static int Parse(ReadOnlySpan<byte> bytes) => bytes.Length;";

    /// <summary>Bodies the proof covers.</summary>
    public static TheoryData<string> Released => new()
    {
        "var m = buffer.Map(); try { for (int i = 0; i < n; i++) { if (m.Span[i] == 0) return; n += m.Span[i]; } } finally { m.Unmap(); }",
        "var m = buffer.Map(); try { m.Span[0] = 1; } finally { m.Dispose(); Work(); }",
        "using var m = buffer.Map(); if (n > 0) return; m.Span[1] = (byte)m.Span.Length;",
        "using (var m = buffer.Map()) { n += m.Span.Length; } Work();",
        "for (int i = 0; i < n; i++) { var m = buffer.Map(); try { n += m.Span[i]; } finally { m.Unmap(); } }",
        "using var outer = buffer.Map(); var inner = buffer.Map(); try { n = outer.Span[0] + inner.Span[0]; } finally { inner.Unmap(); }",
        "var m = buffer.Map(); try { Work(); throw new InvalidOperationException(); } finally { m.Unmap(); }",
        "using var m = buffer.Map(); n = Parse(m.Span) + m.Span.IndexOf((byte)0) + BinaryPrimitives.ReadInt32LittleEndian(m.Span); m.Span.Clear();",
    };

    /// <summary>One step off a shape: the proof declines, and the flow reports where <c>reported</c> says so.</summary>
    public static TheoryData<string, bool> NearMisses => new()
    {
        { "Span<byte> kept; var m = buffer.Map(); try { kept = m.Span; } finally { m.Unmap(); } n = kept[0];", true },
        { "var m = buffer.Map(); Work(); try { n = m.Span[0]; } finally { m.Unmap(); }", true },
        { "var m = buffer.Map(); try { n = m.Span[0]; } finally { Work(); m.Unmap(); }", true },
        { "var m = buffer.Map(); try { m.Unmap(); } finally { m.Unmap(); }", true },
        { "var m = buffer.Map(); try { n = m.Span[0]; } finally { m.Unmap(); } n += m.Span[1];", true },
        { "using var m = buffer.Map(); buffer.Dispose();", true },
        { "var m = buffer.Map(); try { n = m.Span[0]; } catch (Exception) { return; } finally { m.Unmap(); }", false },
        { "using var m = buffer.Map(); Action a = () => n = m.Span[0]; a();", false },
        { "using var m = buffer.Map(); n = m.Span.Slice(1).Length;", false },
        { "var m = buffer.Map(); try { n = m.Span[0]; } finally { m?.Unmap(); }", false },
        { "Span<byte> s; using (var m = buffer.Map()) { s = m.Span.Slice(1); } n = s[0];", true },
        { "using var m = buffer.Map(); var s = m.Span; n = Parse(s);", false },
    };

    [Theory]
    [MemberData(nameof(Released))]
    public void The_proof_covers_the_recommended_shapes(string body)
    {
        var (root, compilation, _) = Body(Snippets.InMethod(body, Members));
        Assert.False(Transfers.WorthAGraph(root, new MappingKind(FoliosTypes.Of(compilation)!), exceptionLeaksReported: true));
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void One_step_off_a_shape_the_graph_decides(string body, bool reported)
    {
        var (root, compilation, graph) = Body(Snippets.InMethod(body, Members));
        var types = FoliosTypes.Of(compilation)!;
        Assert.True(Transfers.WorthAGraph(root, new MappingKind(types), exceptionLeaksReported: true));
        Assert.Equal(reported, Findings(graph, types) > 0);
    }

    [Fact]
    public void Wherever_the_proof_holds_the_flow_finds_nothing()
    {
        int proven = 0, mapping = 0;
        foreach (var (body, root, model, compilation) in ProofCorpus.AcquiringBodies(Released.Select((object[] row) => Snippets.InMethod((string)row[0], Members)), compilation => new MappingKind(FoliosTypes.Of(compilation)!)))
        {
            var types = FoliosTypes.Of(compilation)!;
            mapping++;
            if (Transfers.WorthAGraph(root, new MappingKind(types), exceptionLeaksReported: true))
                continue;
            proven++;
            Assert.True(Findings(ControlFlowGraph.Create(body, model)!, types) == 0, $"the proof skips a body the flow reports:\n{body}");
        }
        Assert.True(mapping > 100, $"only {mapping} bodies map");
        Assert.True(proven >= 15, $"the proof holds for only {proven} bodies of {mapping}");
    }

    /// <summary>What FOLIO003 and FOLIO004 would report on the graph and its lambdas' and local functions' graphs.</summary>
    private static int Findings(ControlFlowGraph graph, FoliosTypes types)
    {
        var sites = OwnershipSites.Of(graph, new MappingKind(types), exceptionPaths: true, default);
        int findings = sites.Discarded.Count;
        foreach (var local in sites.Tracked.Keys)
        {
            var flow = sites.FlowOf(local, default);
            findings += (flow.Leaks ? 1 : 0) + flow.Misuses.Count;
        }
        return findings + sites.Nested.Sum(inner => Findings(inner, types));
    }

    private static (IOperation Root, Compilation Compilation, ControlFlowGraph Graph) Body(string source)
    {
        var (method, compilation, model) = Repository.MethodM(source);
        return (model.GetOperation(method)!, compilation, ControlFlowGraph.Create(method, model)!);
    }
}
