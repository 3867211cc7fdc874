using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// FOLIO016 builds no graph for a body whose writer spans are used only before the next Advance, as the tree proves
/// (<see cref="StructuredAdvance"/>). Wherever that proof holds, in the shapes here, the samples and the rule tests'
/// snippets, the flow over the graph finds no use after Advance; one step off each shape, the proof declines.
/// </summary>
public class StructuredAdvanceTests
{
    /// <summary>Bodies the proof covers.</summary>
    public static TheoryData<string> Used => new()
    {
        "var span = writer.GetSpan(4); BinaryPrimitives.WriteInt32LittleEndian(span, value); writer.Advance(4);",
        "writer.GetSpan(n).Slice(0, n).Fill(0); writer.Advance(n);",
        "var span = pipe.GetSpan(16); if (!TryEncode(span, out int written)) throw new InvalidOperationException(); pipe.Advance(written);",
        "for (int i = 0; i < n; i++) { var span = writer.GetSpan(8); var head = span.Slice(0, 4); BinaryPrimitives.WriteInt32LittleEndian(head, i); writer.Advance(4); }",
        "var memory = array.GetMemory(n); memory.Span.Clear(); array.Advance(n); var again = array.GetSpan(1); again[0] = 1; array.Advance(1);",
        "var span = writer.GetSpan(8); for (int i = 0; i < 8; i++) span[i] = (byte)i; writer.Advance(8);",
    };

    /// <summary>One step off a shape: the proof declines, and the flow reports where <c>reported</c> says so.</summary>
    public static TheoryData<string, bool> NearMisses => new()
    {
        { "var span = writer.GetSpan(8); writer.Advance(4); span[4] = 1;", true },
        { "var span = writer.GetSpan(8); for (int i = 0; i < 2; i++) { span[i] = 1; writer.Advance(1); }", true },
        { "Span<byte> kept; var span = writer.GetSpan(8); kept = span; writer.Advance(8); kept[0] = 1;", true },
        { "var span = writer.GetSpan(8); span = span.Slice(4); span[0] = 1; writer.Advance(8);", false },
        { "var span = writer.GetSpan(8); Action advance = () => writer.Advance(8); span[0] = 1; advance();", false },
        { "var span = writer.GetSpan(8); span[0] = 1; array.Advance(1); span[1] = 2; writer.Advance(2);", false },
    };

    [Theory]
    [MemberData(nameof(Used))]
    public void The_proof_covers_spans_used_before_the_advance(string body)
    {
        var (root, compilation, graph) = Body(Snippets.WithWriters(body));
        Assert.False(Transfers.WorthAGraph(root, Kind(compilation), exceptionLeaksReported: false));
        Assert.Equal(0, Findings(graph, compilation));
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void One_step_off_a_shape_the_graph_decides(string body, bool reported)
    {
        var (root, compilation, graph) = Body(Snippets.WithWriters(body));
        Assert.True(Transfers.WorthAGraph(root, Kind(compilation), exceptionLeaksReported: false));
        Assert.Equal(reported, Findings(graph, compilation) > 0);
    }

    [Fact]
    public void Wherever_the_proof_holds_the_flow_finds_nothing()
    {
        int proven = 0, writing = 0;
        foreach (var (body, root, model, compilation) in ProofCorpus.AcquiringBodies(Used.Select((object[] row) => Snippets.WithWriters((string)row[0])), Kind))
        {
            writing++;
            if (Transfers.WorthAGraph(root, Kind(compilation), exceptionLeaksReported: false))
                continue;
            proven++;
            Assert.True(Findings(ControlFlowGraph.Create(body, model)!, compilation) == 0, $"the proof skips a body the flow reports:\n{body}");
        }
        Assert.True(writing > 40, $"only {writing} bodies write");
        Assert.True(proven >= 20, $"the proof holds for only {proven} of {writing} bodies");
    }

    private static WriterSpanKind Kind(Compilation compilation) => new(new FrameworkTypes(compilation));

    /// <summary>The uses after Advance FOLIO016 would report on the graph and its lambdas' and local functions' graphs.</summary>
    private static int Findings(ControlFlowGraph graph, Compilation compilation)
    {
        var sites = OwnershipSites.Of(graph, Kind(compilation), exceptionPaths: false, default);
        int findings = 0;
        foreach (var local in sites.Tracked.Keys)
            findings += sites.FlowOf(local, default).Misuses.Count(finding => finding.Value.Kind is OwnershipFlow.Misuse.UsedAfterRelease or OwnershipFlow.Misuse.ViewOutlivesResource);
        return findings + sites.Nested.Sum(inner => Findings(inner, compilation));
    }

    private static (IOperation Root, Compilation Compilation, ControlFlowGraph Graph) Body(string source)
    {
        var (method, compilation, model) = Repository.MethodM(source);
        return (model.GetOperation(method)!, compilation, ControlFlowGraph.Create(method, model)!);
    }
}
