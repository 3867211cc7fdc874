using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Engine;

/// <summary>Walking a control-flow graph: the graphs of its lambdas and local functions, the handlers around a block (its operations: <see cref="OperationTrees"/>).</summary>
internal static class Graphs
{
    public static IEnumerable<ControlFlowGraph> Nested(ControlFlowGraph graph, CancellationToken cancellation)
    {
        foreach (var localFunction in graph.LocalFunctions)
            yield return graph.GetLocalFunctionControlFlowGraph(localFunction, cancellation);
        foreach (var lambda in OperationTrees.Of(graph).OfType<IFlowAnonymousFunctionOperation>())
            yield return graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellation);
    }

    /// <summary>
    /// The catch and finally regions of the tries around the block (the innermost try only, or every one), within
    /// this graph only: the root region of a lambda's or local function's graph chains on into the enclosing
    /// method's regions, whose block numbers belong to another graph.
    /// </summary>
    public static List<ControlFlowRegion> HandlersAround(ControlFlowGraph graph, BasicBlock block, bool innermostOnly = false)
    {
        var handlers = new List<ControlFlowRegion>();
        for (var region = block.EnclosingRegion; region is not null && region != graph.Root; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryAnd)
                continue;
            foreach (var handler in tryAnd.NestedRegions)
            {
                if (handler != region)
                    handlers.Add(handler);
            }
            if (innermostOnly)
                break;
        }
        return handlers;
    }

    /// <summary>Locals of the enclosing method that its lambdas and local functions read or write: they may run at any time.</summary>
    public static HashSet<Microsoft.CodeAnalysis.ILocalSymbol> CapturedLocals(IEnumerable<ControlFlowGraph> nested) =>
        new(nested.SelectMany(OperationTrees.Of).OfType<ILocalReferenceOperation>().Select(r => r.Local), Microsoft.CodeAnalysis.SymbolEqualityComparer.Default);
}
