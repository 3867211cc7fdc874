using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// What the rules derive from one member's code (its listing of operations, its single assignments, its control-flow
/// graphs, each graph's listing and ownership sites), kept for the next rule that looks at the same member: the one
/// cache below the compilation (<see cref="PerCompilation{T}"/> is the one above it). The driver runs every analyzer's
/// callback for a file one after another on one thread, so one entry per thread, the members of the file last
/// analysed there, serves them all with no lock. The entry is held weakly, so an idle thread does not keep a finished
/// compilation alive; a miss (another file came in between, or a collection took the entry) only means computing again.
/// </summary>
internal sealed class MemberCache
{
    [ThreadStatic]
    private static WeakReference<FileEntry?>? t_lastFile;

    private readonly Dictionary<(object Part, Type Fact), object> _facts = new(FactKey.Instance);

    private MemberCache(IOperation root) => Root = root;

    /// <summary>The member's operation tree: the root above every operation of the member.</summary>
    public IOperation Root { get; }

    /// <summary>The cache of the member an operation belongs to (the tree it hangs in; for a graph, its original operation).</summary>
    public static MemberCache Of(IOperation operation)
    {
        var root = OperationShape.Root(operation);
        var last = t_lastFile ??= new WeakReference<FileEntry?>(null);
        // Operations of one semantic model share it: a file's members, in one compilation.
        if (!last.TryGetTarget(out var file) || file is null || file.Model != root.SemanticModel)
        {
            file = new FileEntry(root.SemanticModel);
            last.SetTarget(file);
        }
        // The rules ask about one member many times in a row.
        if (file.LastMember is { } recent && recent.Root == root)
            return recent;
        if (!file.Members.TryGetValue(root, out var cache))
        {
            cache = new MemberCache(root);
            file.Members.Add(root, cache);
        }
        file.LastMember = cache;
        return cache;
    }

    /// <summary>
    /// The fact of type <typeparamref name="T"/> about one part of the member (its root, one of its graphs, a local),
    /// made from it by <paramref name="make"/> the first time any rule asks.
    /// </summary>
    public T Fact<TPart, T>(TPart part, Func<TPart, T> make)
        where TPart : class
        where T : class
    {
        if (_facts.TryGetValue((part, typeof(T)), out var known))
            return (T)known;
        var made = make(part);
        _facts[(part, typeof(T))] = made;
        return made;
    }

    private sealed class FileEntry(SemanticModel? model)
    {
        public SemanticModel? Model { get; } = model;

        /// <summary>By operation tree (operations compare by reference): a file may hold thousands of members.</summary>
        public Dictionary<IOperation, MemberCache> Members { get; } = new(OperationIdentity.Instance);

        public MemberCache? LastMember { get; set; }
    }

    /// <summary>A fact's key: its part (an operation as <see cref="OperationIdentity"/> keys it) and its type.</summary>
    private sealed class FactKey : IEqualityComparer<(object Part, Type Fact)>
    {
        public static FactKey Instance { get; } = new();

        public bool Equals((object Part, Type Fact) x, (object Part, Type Fact) y) =>
            x.Fact == y.Fact && (x.Part is IOperation operation ? ReferenceEquals(operation, y.Part) : x.Part.Equals(y.Part));

        public int GetHashCode((object Part, Type Fact) key) => unchecked(
            (key.Part is IOperation operation ? OperationIdentity.Instance.GetHashCode(operation) : key.Part.GetHashCode()) * 31 + key.Fact.GetHashCode());
    }
}
