using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// What the rules derive from one member's operation tree (its listing, its single assignments, its control-flow
/// graph, each graph's listing and mapping sites), kept for the next rule that looks at the same member. The driver
/// runs every analyzer's code-block action for a member one after another on one thread, so one entry per thread
/// serves them all: no lock, and none of the dependent handles a ConditionalWeakTable keeps per key (on Folios-heavy
/// code the tables' lookups, and what their handles add to every garbage collection, were a sixth of the rules'
/// time). The entry is held weakly, so an idle thread does not keep a finished compilation alive. A miss (another
/// member came in between, or a collection took the entry) only means computing again.
/// </summary>
internal sealed class MemberCache
{
    [ThreadStatic]
    private static WeakReference<MemberCache?>? t_last;

    private readonly List<GraphFacts> _graphs = [];

    private MemberCache(IOperation root) => Root = root;

    /// <summary>The member's operation tree: the root above every operation of the member.</summary>
    public IOperation Root { get; }

    public IOperation[]? Operations { get; set; }

    public Dictionary<ILocalSymbol, IOperation?>? SingleAssignments { get; set; }

    public ControlFlowGraph? Graph { get; set; }

    /// <summary>The cache of the member an operation belongs to (the tree it hangs in; for a graph, its original operation).</summary>
    public static MemberCache Of(IOperation operation)
    {
        var root = ConstantValues.Root(operation);
        var last = t_last ??= new WeakReference<MemberCache?>(null);
        if (last.TryGetTarget(out var cache) && cache is not null && cache.Root == root)
            return cache;
        cache = new MemberCache(root);
        last.SetTarget(cache);
        return cache;
    }

    /// <summary>The facts of one of the member's graphs (the body's, or a lambda's or local function's).</summary>
    public GraphFacts For(ControlFlowGraph graph)
    {
        foreach (var facts in _graphs)
        {
            if (facts.Graph == graph)
                return facts;
        }
        var added = new GraphFacts(graph);
        _graphs.Add(added);
        return added;
    }

    public sealed class GraphFacts(ControlFlowGraph graph)
    {
        public ControlFlowGraph Graph { get; } = graph;

        public OperationTrees.GraphListing? Listing { get; set; }

        public MappingSites? Sites { get; set; }
    }
}
