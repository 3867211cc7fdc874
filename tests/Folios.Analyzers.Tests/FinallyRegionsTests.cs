using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The mapping flow finds a branch's finally regions itself, from the try parts the branch leaves, instead of asking
/// Roslyn (which computes every branch's leaving regions at once). On every branch of every graph here (try/finally
/// shapes, and the runtime's and samples' own code) its answer is Roslyn's, in the same order.
/// </summary>
public class FinallyRegionsTests
{
    private const string Shapes = """
        using System;
        using System.IO;
        using System.Collections.Generic;

        class Shapes
        {
            static void Work() { }
            static int Early(int n) { try { if (n > 0) return 1; Work(); } finally { Work(); } return 0; }
            static void Loop(int[] items)
            {
                foreach (var item in items)
                {
                    try { if (item == 1) continue; if (item == 2) break; Work(); }
                    finally { Work(); }
                }
            }
            static int Nested(int n)
            {
                try
                {
                    try { if (n == 1) return 1; if (n == 2) throw new Exception(); }
                    catch (InvalidOperationException) when (n > 3) { return 2; }
                    finally { if (n == 4) Work(); }
                    Work();
                }
                finally
                {
                    try { Work(); } finally { Work(); }
                }
                return 0;
            }
            static void Jump(int n)
            {
                try { if (n > 0) goto done; Work(); } finally { Work(); }
                done:
                Work();
            }
            static void Resources(Stream s, object gate)
            {
                using (var reader = new StreamReader(s)) { if (reader.Peek() < 0) return; }
                using var writer = new StreamWriter(s);
                lock (gate) { if (writer.AutoFlush) return; Work(); }
            }
            static IEnumerable<int> Yield()
            {
                try { yield return 1; Work(); } finally { Work(); }
            }
            static void Lambda()
            {
                Action a = () => { try { Work(); return; } finally { Work(); } };
                a();
            }
        }
        """;

    [Fact]
    public void The_shortcut_answers_as_Roslyn_on_every_branch()
    {
        var sources = new List<string> { Shapes };
        sources.AddRange(Repository.SourcesUnder("Runtime"));
        sources.AddRange(Repository.SourcesUnder("Samples"));
        int branches = 0, leaving = 0;
        foreach (string source in sources)
        {
            var (tree, _, model) = Repository.Compile(source);
            foreach (var body in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
            {
                if (model.GetOperation(body) is not null && ControlFlowGraph.Create(body, model) is { } graph)
                    Check(graph, ref branches, ref leaving);
            }
        }
        Assert.True(branches > 1000, $"only {branches} branches checked");
        Assert.True(leaving > 10, $"only {leaving} branches run a finally");
    }

    /// <summary>Compares every branch of a graph and of the graphs of its lambdas and local functions.</summary>
    private static void Check(ControlFlowGraph graph, ref int branches, ref int leaving)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch is null)
                    continue;
                branches++;
                var expected = branch.FinallyRegions;
                leaving += expected.IsEmpty ? 0 : 1;
                Assert.Equal<ControlFlowRegion>(expected, OwnershipFlow.FinallyRegionsRun(block, branch));
            }
            var operations = block.BranchValue is null ? block.Operations : block.Operations.Add(block.BranchValue);
            foreach (var lambda in operations.SelectMany(operation => operation.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>())
                Check(graph.GetAnonymousFunctionControlFlowGraph(lambda), ref branches, ref leaving);
        }
        foreach (var local in graph.LocalFunctions)
            Check(graph.GetLocalFunctionControlFlowGraph(local), ref branches, ref leaving);
    }
}
