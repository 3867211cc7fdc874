using Folios.Analyzers.Ownership;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// What the rules derive from one member's operation tree (its listing, its single assignments, its control-flow
/// graph, each graph's listing and mapping sites), kept for the next rule that looks at the same member. The driver
/// runs every analyzer's callback for a file one after another on one thread, so one entry per thread, the members of
/// the file last analysed there, serves them all: no lock, and none of the dependent handles a ConditionalWeakTable
/// keeps per key (on Folios-heavy code the tables' lookups, and what their handles add to every garbage collection,
/// were a sixth of the rules' time). The entry is held weakly, so an idle thread does not keep a finished compilation
/// alive. A miss (another file came in between, or a collection took the entry) only means computing again.
/// </summary>
internal sealed class MemberCache
{
    [ThreadStatic]
    private static WeakReference<FileEntry?>? t_lastFile;

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
        var last = t_lastFile ??= new WeakReference<FileEntry?>(null);
        // Operations of one semantic model share it: a file's members, in one compilation.
        if (!last.TryGetTarget(out var file) || file is null || file.Model != root.SemanticModel)
        {
            file = new FileEntry(root.SemanticModel);
            last.SetTarget(file);
        }
        if (file.Members.TryGetValue(root, out var cache))
            return cache;
        cache = new MemberCache(root);
        file.Members.Add(root, cache);
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

    private sealed class FileEntry(SemanticModel? model)
    {
        public SemanticModel? Model { get; } = model;

        /// <summary>By operation tree (operations compare by reference): a file may hold thousands of members.</summary>
        public Dictionary<IOperation, MemberCache> Members { get; } = [];
    }
}
