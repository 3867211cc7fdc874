using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The operations of a member's tree, listed once and shared by every rule and helper that looks through the whole
/// body (single assignments, page geometry, mapping calls, segment guards), kept in the member's
/// <see cref="MemberCache"/>. The walk uses the struct enumerators of <see cref="IOperation.ChildOperations"/> (the
/// iterator behind <c>Descendants()</c> allocates at every level) and one work stack and list per thread, so that a
/// listing costs one array.
/// </summary>
internal static class OperationTrees
{
    [ThreadStatic]
    private static Stack<IOperation>? t_pending;

    [ThreadStatic]
    private static List<IOperation>? t_found;

    /// <summary>The root and all operations under it, lambdas and local functions included, in source order.</summary>
    public static IOperation[] Of(IOperation root)
    {
        if (root.Parent is not null)
            return List(root);
        return MemberCache.Of(root).Fact(root, static root => List(root));
    }

    /// <summary>Every operation of a control-flow graph's blocks and branch values, with their descendants, in block order.</summary>
    public static IOperation[] Of(ControlFlowGraph graph) => Listing(graph).All;

    /// <summary>The graph's operations, listed once per graph, with each statement's place among them.</summary>
    public static GraphListing Listing(ControlFlowGraph graph)
    {
        return MemberCache.Of(graph.OriginalOperation).Fact(graph, static graph => new GraphListing(graph));
    }

    /// <summary>
    /// The operations of one graph, statement by statement (each operation of a block, and each branch value), with
    /// their descendants in source order: the flows that visit a statement on every pass, for every local, read a
    /// slice of it instead of walking a tree.
    /// </summary>
    internal sealed class GraphListing
    {
        private readonly Dictionary<IOperation, (int Start, int Count, int Index)> _statements;

        public GraphListing(ControlFlowGraph graph)
        {
            int statements = 0;
            foreach (var block in graph.Blocks)
                statements += block.Operations.Length + (block.BranchValue is null ? 0 : 1);
            _statements = new(statements, OperationIdentity.Instance);
            var found = Buffer();
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                    AddStatement(operation, found);
                if (block.BranchValue is { } branch)
                    AddStatement(branch, found);
            }
            All = Take(found);
        }

        public IOperation[] All { get; }

        /// <summary>How many statements the graph has: <see cref="IndexOf"/> numbers them from 0.</summary>
        public int StatementCount => _statements.Count;

        /// <summary>A statement's number in the graph, or -1 for an operation that is not one of its statements.</summary>
        public int IndexOf(IOperation statement) => _statements.TryGetValue(statement, out var place) ? place.Index : -1;

        /// <summary>A statement and its descendants, in source order (any other operation is listed on its own).</summary>
        public ReadOnlySpan<IOperation> Under(IOperation statement) =>
            _statements.TryGetValue(statement, out var place) ? new ReadOnlySpan<IOperation>(All, place.Start, place.Count) : List(statement);

        private void AddStatement(IOperation statement, List<IOperation> found)
        {
            int start = found.Count;
            Add(statement, found);
            _statements[statement] = (start, found.Count - start, _statements.Count);
        }
    }

    private static IOperation[] List(IOperation root)
    {
        var found = Buffer();
        Add(root, found);
        return Take(found);
    }

    /// <summary>This thread's empty buffer (emptied here too, in case a walk was left by an exception).</summary>
    private static List<IOperation> Buffer()
    {
        var found = t_found ??= new List<IOperation>(256);
        found.Clear();
        return found;
    }

    /// <summary>The listing as an array; the buffer is emptied for the next one (and dropped when a huge member grew it).</summary>
    private static IOperation[] Take(List<IOperation> found)
    {
        var listing = found.ToArray();
        found.Clear();
        if (found.Capacity > 1 << 16)
            t_found = null;
        return listing;
    }

    private static void Add(IOperation root, List<IOperation> found)
    {
        var pending = t_pending ??= new Stack<IOperation>(64);
        pending.Clear();
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
