using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// The operations of a member's tree, listed once and shared by every rule and helper that looks through the whole
/// body (single assignments, page geometry, mapping calls, segment guards). The walk uses the struct enumerators of
/// <see cref="IOperation.ChildOperations"/>: the iterator behind <c>Descendants()</c> allocates at every level,
/// and on Folios-heavy code these walks were a tenth of the rules' time.
/// </summary>
internal static class OperationTrees
{
    private static readonly ConditionalWeakTable<IOperation, IOperation[]> Lists = new();

    /// <summary>The root and all operations under it, lambdas and local functions included, in source order.</summary>
    public static IOperation[] Of(IOperation root) => Lists.GetValue(root, List);

    private static readonly ConditionalWeakTable<ControlFlowGraph, GraphListing> GraphLists = new();

    /// <summary>Every operation of a control-flow graph's blocks and branch values, with their descendants, in block order.</summary>
    public static IOperation[] Of(ControlFlowGraph graph) => GraphLists.GetValue(graph, GraphListing.Create).All;

    /// <summary>
    /// One operation of a graph's block (or its branch value) and its descendants, in source order: a slice of the
    /// graph's listing, so the flows that visit a statement on every pass, for every local, walk no tree.
    /// </summary>
    public static ArraySegment<IOperation> Under(ControlFlowGraph graph, IOperation statement)
    {
        var listing = GraphLists.GetValue(graph, GraphListing.Create);
        return listing.Ranges.TryGetValue(statement, out var range) ? new ArraySegment<IOperation>(listing.All, range.Start, range.Count) : new ArraySegment<IOperation>(List(statement));
    }

    private sealed class GraphListing
    {
        private GraphListing(ControlFlowGraph graph)
        {
            var found = new List<IOperation>();
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                    AddStatement(operation, found);
                if (block.BranchValue is { } branch)
                    AddStatement(branch, found);
            }
            All = found.ToArray();
        }

        public IOperation[] All { get; }

        public static GraphListing Create(ControlFlowGraph graph) => new(graph);

        public Dictionary<IOperation, (int Start, int Count)> Ranges { get; } = new();

        private void AddStatement(IOperation statement, List<IOperation> found)
        {
            int start = found.Count;
            Add(statement, found);
            Ranges[statement] = (start, found.Count - start);
        }
    }

    private static IOperation[] List(IOperation root)
    {
        var found = new List<IOperation>();
        Add(root, found);
        return found.ToArray();
    }

    private static void Add(IOperation root, List<IOperation> found)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            found.Add(operation);
            foreach (var child in operation.ChildOperations.Reverse())
                pending.Push(child);
        }
    }
}
