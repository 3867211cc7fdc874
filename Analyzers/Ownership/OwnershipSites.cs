using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// Where one graph acquires resources of one kind: the locals they are stored in (directly, through a conditional or
/// switch expression, through <c>??=</c>, or bound by a pattern), and the ones dropped at once
/// (<see cref="Transfers.WhereItGoes"/>). Also the graph's alias model: flow captures that stand for a local, captures
/// that carry a fresh resource into one, and ref locals that alias one. Built once per graph and kind and shared, with
/// the flow of every tracked local, by the rules of that kind; kept in the member's <see cref="MemberCache"/>, so only
/// one thread sees it.
/// </summary>
internal sealed class OwnershipSites
{
    private readonly Dictionary<CaptureId, ILocalSymbol> _aliases = new();
    private readonly Dictionary<CaptureId, List<IOperation>> _captureValues = new();
    private readonly Dictionary<CaptureId, List<IInvocationOperation>> _births = new();
    private readonly Dictionary<ILocalSymbol, ILocalSymbol> _refAliases = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, OwnershipFlow> _flows = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, IOperation[]> _localWrites = new(SymbolEqualityComparer.Default);
    private readonly List<ControlFlowRegion>?[] _innermostHandlers;
    private readonly ControlFlowGraph _graph;
    private readonly ResourceKind _kind;
    private readonly bool _exceptionPaths;

    private OwnershipSites(ControlFlowGraph graph, ResourceKind kind, bool exceptionPaths, CancellationToken cancellation)
    {
        _graph = graph;
        _innermostHandlers = new List<ControlFlowRegion>?[graph.Blocks.Length];
        _kind = kind;
        _exceptionPaths = exceptionPaths;
        Nested = Graphs.Nested(graph, cancellation).ToList();
        var captured = Graphs.CapturedLocals(Nested);
        var operations = OperationTrees.Of(graph);
        var captureValues = new Dictionary<CaptureId, IOperation>();
        foreach (var operation in operations)
        {
            if (operation is IFlowCaptureOperation capture)
            {
                captureValues[capture.Id] = capture.Value;
                if (!_captureValues.TryGetValue(capture.Id, out var values))
                    _captureValues[capture.Id] = values = [];
                values.Add(capture.Value);
            }
            else if (operation is ISimpleAssignmentOperation { IsRef: true, Target: ILocalReferenceOperation { Local: var alias } } refAssignment
                && OperationShape.Unwrap(refAssignment.Value) is ILocalReferenceOperation { Local: var target })
                _refAliases[alias] = Aliased(target);
        }
        foreach (var pair in captureValues)
        {
            if (Resolve(pair.Value, captureValues, 0) is { } local)
                _aliases[pair.Key] = local;
        }
        // One capture id may be written on several paths (each arm of a conditional or switch expression).
        foreach (var operation in operations)
        {
            if (operation is IFlowCaptureOperation capture && OperationShape.UnwrapAwait(capture.Value) is IInvocationOperation call && kind.Acquires(call))
            {
                if (!_births.TryGetValue(capture.Id, out var calls))
                    _births[capture.Id] = calls = [];
                calls.Add(call);
            }
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { IsRef: true }:
                    break;
                case ISimpleAssignmentOperation assignment:
                    if (assignment.Target is ILocalReferenceOperation { Local: var written })
                        _localWrites[written] = _localWrites.TryGetValue(written, out var writes) ? [.. writes, assignment.Value] : [assignment.Value];
                    if (assignment.Target is IDiscardOperation && OperationShape.Unwrap(assignment.Value) is IInvocationOperation discarded && kind.Acquires(discarded) && kind.DeliveredThrough(discarded) is null)
                        Discarded.Add(discarded);
                    else if (LocalOf(assignment.Target) is { } local && !captured.Contains(local))
                        AddAll(local, assignment.Value);
                    break;
                case IIsPatternOperation matched when BoundBy(matched.Pattern) is { } bound && !captured.Contains(bound):
                    AddAll(bound, matched.Value);
                    break;
                case IInvocationOperation call when kind.Acquires(call) && kind.DeliveredThrough(call) is { } delivered:
                    if (LocalOf(OperationShape.Unwrap(delivered.Value)!) is { } outLocal && !captured.Contains(outLocal))
                        AddAll(outLocal, call);
                    break;
                case IInvocationOperation call when kind.Acquires(call) && Transfers.WhereItGoes(call, kind) == Transfers.FreshResource.Dropped:
                    Discarded.Add(call);
                    break;
            }
        }
    }

    /// <summary>The values written to each local of the graph by plain assignment (views of a resource are found among them).</summary>
    public IReadOnlyDictionary<ILocalSymbol, IOperation[]> LocalWrites => _localWrites;

    /// <summary>Every value a flow capture is given, on each of the paths that give it one.</summary>
    public IReadOnlyList<IOperation> CapturedValues(CaptureId capture) => _captureValues.TryGetValue(capture, out var values) ? values : [];

    /// <summary>The value a local of the graph is assigned, when it is assigned exactly once; else null.</summary>
    public IOperation? SingleWrite(ILocalSymbol local) => _localWrites.TryGetValue(local, out var writes) && writes.Length == 1 ? writes[0] : null;

    /// <summary>Per block, the handlers of the innermost try around it (where an exception from it goes first).</summary>
    public List<ControlFlowRegion> InnermostHandlers(BasicBlock block) =>
        _innermostHandlers[block.Ordinal] ??= Graphs.HandlersAround(_graph, block, innermostOnly: true);

    /// <summary>The graphs of the body's lambdas and local functions, analysed on their own.</summary>
    public List<ControlFlowGraph> Nested { get; }

    /// <summary>Each local that holds a resource, with the calls that acquire it.</summary>
    public Dictionary<ILocalSymbol, List<IInvocationOperation>> Tracked { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Resources acquired and dropped in the same statement: thrown away (<c>eb.Map();</c>), or used once without being
    /// kept (<c>eb.Map().Span[0]</c>, <c>Parse(eb.Map())</c> to a parameter that does not take it). The discard
    /// <c>_ = eb.Map();</c> is found among the assignments (<c>_ = reader.TryRead(out var result)</c> discards only the
    /// flag: the read is delivered to its out local).
    /// </summary>
    public List<IInvocationOperation> Discarded { get; } = [];

    /// <summary>The sites of one kind in a graph, found once whichever rule of that kind asks first.</summary>
    public static OwnershipSites Of(ControlFlowGraph graph, ResourceKind kind, bool exceptionPaths, CancellationToken cancellation)
    {
        // By the kind's type: each rule of a kind makes its own instance of it, and they answer alike.
        var byKind = MemberCache.Of(graph.OriginalOperation).Fact(graph, static _ => new Dictionary<Type, OwnershipSites>());
        if (!byKind.TryGetValue(kind.GetType(), out var sites))
            byKind[kind.GetType()] = sites = new OwnershipSites(graph, kind, exceptionPaths, cancellation);
        return sites;
    }

    /// <summary>The flow of one tracked local, computed once whichever rule asks first.</summary>
    public OwnershipFlow FlowOf(ILocalSymbol local, CancellationToken cancellation)
    {
        if (!_flows.TryGetValue(local, out var flow))
            _flows[local] = flow = new OwnershipFlow(_graph, local, _kind, this, _exceptionPaths, cancellation);
        return flow;
    }

    /// <summary>The local a flow capture stands for, following captures of captures.</summary>
    public ILocalSymbol? AliasOf(IFlowCaptureReferenceOperation capture) => _aliases.TryGetValue(capture.Id, out var local) ? local : null;

    /// <summary>The local a ref local aliases (<c>ref var alias = ref m;</c>), or the local itself.</summary>
    public ILocalSymbol Aliased(ILocalSymbol local) => _refAliases.TryGetValue(local, out var target) ? target : local;

    /// <summary>The acquisitions whose fresh resource this value is, directly or through a capture.</summary>
    public IReadOnlyList<IInvocationOperation> FreshResources(IOperation value) => OperationShape.UnwrapAwait(value) switch
    {
        IInvocationOperation call when _kind.Acquires(call) => [call],
        IFlowCaptureReferenceOperation capture when _births.TryGetValue(capture.Id, out var born) => born,
        _ => [],
    };

    /// <summary>The local a pattern declares for the whole value it matches (<c>is { } view</c>, <c>is PageMapping view</c>).</summary>
    public static ILocalSymbol? BoundBy(IPatternOperation pattern) => pattern switch
    {
        IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } => declared,
        IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol declared } => declared,
        _ => null,
    };

    private void AddAll(ILocalSymbol local, IOperation value)
    {
        foreach (var source in FreshResources(value))
        {
            if (!Tracked.TryGetValue(local, out var sources))
                Tracked[local] = sources = [];
            if (!sources.Contains(source))
                sources.Add(source);
        }
    }

    private ILocalSymbol? LocalOf(IOperation target) => target switch
    {
        ILocalReferenceOperation reference => Aliased(reference.Local),
        IFlowCaptureReferenceOperation capture => AliasOf(capture),
        _ => null,
    };

    private ILocalSymbol? Resolve(IOperation value, Dictionary<CaptureId, IOperation> captures, int depth) => OperationShape.Unwrap(value) switch
    {
        ILocalReferenceOperation reference => Aliased(reference.Local),
        IFlowCaptureReferenceOperation capture when depth < 8 && captures.TryGetValue(capture.Id, out var inner) => Resolve(inner, captures, depth + 1),
        _ => null,
    };
}
