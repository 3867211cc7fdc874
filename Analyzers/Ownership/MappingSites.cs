using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// Where one graph creates mappings: the locals they are stored in (directly, through a conditional or switch
/// expression, through <c>??=</c>), and the ones dropped at once (<see cref="MappingOwnership.WhereItGoes"/>). Also
/// the graph's capture model: flow captures that alias a local, and captures that carry a fresh mapping into one.
/// Built once per graph and shared, with the flow of every tracked local, by FOLIO003 and FOLIO004; kept in the
/// member's <see cref="MemberCache"/>, so only one thread sees it.
/// </summary>
internal sealed class MappingSites
{
    private readonly Dictionary<CaptureId, ILocalSymbol> _aliases = new();
    private readonly Dictionary<CaptureId, List<IInvocationOperation>> _births = new();
    private readonly Dictionary<ILocalSymbol, MappingFlow> _flows = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, IOperation[]> _localWrites = new(SymbolEqualityComparer.Default);
    private readonly List<ControlFlowRegion>?[] _innermostHandlers;
    private readonly ControlFlowGraph _graph;
    private readonly FoliosTypes _types;
    private readonly bool _exceptionPaths;

    private MappingSites(ControlFlowGraph graph, FoliosTypes types, bool exceptionPaths, CancellationToken cancellation)
    {
        _graph = graph;
        _innermostHandlers = new List<ControlFlowRegion>?[graph.Blocks.Length];
        _types = types;
        _exceptionPaths = exceptionPaths;
        Nested = Graphs.Nested(graph, cancellation).ToList();
        var captured = Graphs.CapturedLocals(Nested);
        var operations = OperationTrees.Of(graph);
        var captureValues = new Dictionary<CaptureId, IOperation>();
        foreach (var capture in operations.OfType<IFlowCaptureOperation>())
            captureValues[capture.Id] = capture.Value;
        foreach (var pair in captureValues)
        {
            if (Resolve(pair.Value, captureValues, 0) is { } local)
                _aliases[pair.Key] = local;
        }
        // One capture id may be written on several paths (each arm of a conditional or switch expression).
        foreach (var capture in operations.OfType<IFlowCaptureOperation>())
        {
            if (OperationShape.Unwrap(capture.Value) is IInvocationOperation call && MappingOwnership.IsMapsPages(call, types))
            {
                if (!_births.TryGetValue(capture.Id, out var calls))
                    _births[capture.Id] = calls = [];
                calls.Add(call);
            }
        }

        foreach (var operation in operations)
        {
            if (operation is not ISimpleAssignmentOperation assignment)
                continue;
            if (assignment.Target is ILocalReferenceOperation { Local: var written })
                _localWrites[written] = _localWrites.TryGetValue(written, out var writes) ? [.. writes, assignment.Value] : [assignment.Value];
            if (assignment.Target is IDiscardOperation && OperationShape.Unwrap(assignment.Value) is IInvocationOperation discarded && MappingOwnership.IsMapsPages(discarded, types))
                Discarded.Add(discarded);
            else if (LocalOf(assignment.Target) is { } local && !captured.Contains(local))
            {
                foreach (var source in FreshMappings(assignment.Value))
                    Add(local, source);
            }
        }
        foreach (var operation in operations)
        {
            if (operation is IInvocationOperation call && MappingOwnership.IsMapsPages(call, types) && MappingOwnership.WhereItGoes(call, types) == MappingOwnership.FreshMapping.Dropped)
                Discarded.Add(call);
        }
    }

    /// <summary>The values written to each local of the graph by plain assignment (span locals are found among them).</summary>
    public IReadOnlyDictionary<ILocalSymbol, IOperation[]> LocalWrites => _localWrites;

    /// <summary>Per block, the handlers of the innermost try around it (where an exception from it goes first).</summary>
    public List<ControlFlowRegion> InnermostHandlers(BasicBlock block) =>
        _innermostHandlers[block.Ordinal] ??= Graphs.HandlersAround(_graph, block, innermostOnly: true);

    /// <summary>The graphs of the body's lambdas and local functions, analysed on their own.</summary>
    public List<ControlFlowGraph> Nested { get; }

    /// <summary>Each local that holds a mapping, with the calls that create it.</summary>
    public Dictionary<ILocalSymbol, List<IInvocationOperation>> Tracked { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Mappings created and dropped in the same statement: thrown away (<c>eb.Map();</c>), or used once without being
    /// kept (<c>eb.Map().Span[0]</c>, <c>Parse(eb.Map())</c> to a parameter that does not take it). The discard
    /// <c>_ = eb.Map();</c> is found among the assignments.
    /// </summary>
    public List<IInvocationOperation> Discarded { get; } = [];

    public static MappingSites Of(ControlFlowGraph graph, FoliosTypes types, bool exceptionPaths, CancellationToken cancellation)
    {
        return MemberCache.Of(graph.OriginalOperation).Fact(graph, graph => new MappingSites(graph, types, exceptionPaths, cancellation));
    }

    /// <summary>The flow of one tracked local, computed once whichever rule asks first.</summary>
    public MappingFlow FlowOf(ILocalSymbol local, CancellationToken cancellation)
    {
        if (!_flows.TryGetValue(local, out var flow))
            _flows[local] = flow = new MappingFlow(_graph, local, _types, this, _exceptionPaths, cancellation);
        return flow;
    }

    /// <summary>The local a flow capture stands for, following captures of captures.</summary>
    public ILocalSymbol? AliasOf(IFlowCaptureReferenceOperation capture) => _aliases.TryGetValue(capture.Id, out var local) ? local : null;

    /// <summary>A [MapsPages] call whose fresh mapping this value is, directly or through a capture.</summary>
    public IInvocationOperation? FreshMapping(IOperation value) => FreshMappings(value).FirstOrDefault();

    private IEnumerable<IInvocationOperation> FreshMappings(IOperation value) => OperationShape.Unwrap(value) switch
    {
        IInvocationOperation call when MappingOwnership.IsMapsPages(call, _types) => [call],
        IFlowCaptureReferenceOperation capture when _births.TryGetValue(capture.Id, out var born) => born,
        _ => [],
    };

    private void Add(ILocalSymbol local, IInvocationOperation source)
    {
        if (!Tracked.TryGetValue(local, out var sources))
            Tracked[local] = sources = [];
        if (!sources.Contains(source))
            sources.Add(source);
    }

    private ILocalSymbol? LocalOf(IOperation target) => target switch
    {
        ILocalReferenceOperation reference => reference.Local,
        IFlowCaptureReferenceOperation capture => AliasOf(capture),
        _ => null,
    };

    private static ILocalSymbol? Resolve(IOperation value, Dictionary<CaptureId, IOperation> captures, int depth) => OperationShape.Unwrap(value) switch
    {
        ILocalReferenceOperation reference => reference.Local,
        IFlowCaptureReferenceOperation capture when depth < 8 && captures.TryGetValue(capture.Id, out var inner) => Resolve(inner, captures, depth + 1),
        _ => null,
    };
}
