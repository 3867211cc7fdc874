using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// The one mapping-flow engine behind FOLIO003 and FOLIO004: a may-analysis over a control-flow graph of one mapping
/// local's state (not mapped, mapped, unmapped, handed off) along every path. One worklist; one capture model (flow
/// captures that alias the local, and captures that hold a fresh mapping on its way into the local); one exception
/// model (a catch or finally starts from every state its try reaches, and a branch through finally regions applies
/// them). FOLIO003 asks where a path leaves with the mapping still owned; FOLIO004 asks where an operation meets a
/// mapping that may already be unmapped.
/// </summary>
internal sealed class MappingFlow
{
    [Flags]
    private enum State
    {
        None = 0,
        NotMapped = 1,
        Mapped = 2,
        Unmapped = 4,
        HandedOff = 8,
    }

    public enum Misuse
    {
        UnmappedTwice,
        UsedAfterUnmap,
        SpanOutlivesMapping,
        FreedWhileMapped,
    }

    private static readonly List<ControlFlowRegion> NoHandlers = [];

    private readonly ControlFlowGraph _graph;
    private readonly OperationTrees.GraphListing _listing;
    private readonly ILocalSymbol _local;
    private readonly FoliosTypes _types;
    private readonly MappingSites _sites;
    private readonly bool _exceptionPaths;
    private readonly HashSet<ILocalSymbol> _spans = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IOperation, (Misuse Kind, bool Certain)> _misuses = new();
    private ISymbol? _mappedBuffer;
    private readonly HashSet<ISymbol> _mappedFolios = new(SymbolEqualityComparer.Default);
    private bool _everReleased;
    private IOperation? _throwingPoint;
    private IOperation? _leakAt;
    private bool _leaks;

    public MappingFlow(ControlFlowGraph graph, ILocalSymbol local, FoliosTypes types, MappingSites sites, bool exceptionPaths, CancellationToken cancellation)
    {
        _graph = graph;
        _listing = OperationTrees.Listing(graph);
        _touches = new sbyte[_listing.StatementCount];
        _mayThrow = new sbyte[_listing.StatementCount];
        _local = local;
        _types = types;
        _sites = sites;
        _exceptionPaths = exceptionPaths;
        // Span locals taken from the mapping (m.Span, a slice or range of it) and never assigned anything else: they
        // outlive an unmap, and the memory does not. A copy (ToArray) is no span of the mapping.
        foreach (var written in sites.LocalWrites)
        {
            if (written.Value.Length == 1 && FrameworkTypes.IsSpan(written.Key.Type) && IsMappingSpan(written.Value[0]))
                _spans.Add(written.Key);
        }
        Run(cancellation);
    }

    /// <summary>FOLIO003: a path leaves with the mapping owned; <see cref="LeakAt"/> says where (null: the end of the body).</summary>
    public bool Leaks => _leaks || _throwingPoint is not null;

    public IOperation? LeakAt => _leaks ? _leakAt : _throwingPoint;

    /// <summary>Only an exception leaves with the mapping owned.</summary>
    public bool LeaksByExceptionOnly => !_leaks && _throwingPoint is not null;

    /// <summary>Some path unmaps the mapping (or hands it to an [UnmapsPages] parameter).</summary>
    public bool EverReleased => _everReleased;

    /// <summary>FOLIO004: each misuse at the operation that commits it; Certain when every path to it agrees.</summary>
    public IReadOnlyDictionary<IOperation, (Misuse Kind, bool Certain)> Misuses => _misuses;

    private void Run(CancellationToken cancellation)
    {
        var blocks = _graph.Blocks;
        var entry = new State[blocks.Length];
        var work = new Queue<int>();
        var queued = new HashSet<int>();
        void Merge(int ordinal, State state)
        {
            var merged = entry[ordinal] | state;
            if (merged == entry[ordinal])
                return;
            entry[ordinal] = merged;
            if (queued.Add(ordinal))
                work.Enqueue(ordinal);
        }
        Merge(0, State.NotMapped);

        while (work.Count > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            int ordinal = work.Dequeue();
            queued.Remove(ordinal);
            var block = blocks[ordinal];
            // An operation of a try that may throw sends the state before it to the innermost handlers; the next
            // handlers out see it only after a finally has run (below).
            var handlers = _exceptionPaths ? _sites.InnermostHandlers(block) : NoHandlers;
            var state = entry[ordinal];
            // Anything in a try body may fail (out of memory, an asynchronous exception): its handlers may start from
            // the state at any block of it. Not so for a block of a handler, which starts from its own entry.
            if (InTryBody(block))
            {
                foreach (var handler in handlers)
                    Merge(handler.FirstBlockOrdinal, state);
            }
            foreach (var operation in block.Operations)
            {
                // Whether it may throw matters only where a handler is waiting or a mapping may be held.
                bool mayThrow = (handlers.Count > 0 || _exceptionPaths && _throwingPoint is null && (state & State.Mapped) != 0) && MayThrowCached(operation);
                if (mayThrow)
                {
                    foreach (var handler in handlers)
                        Merge(handler.FirstBlockOrdinal, state);
                }
                var after = Transfer(operation, state, report: true);
                // An operation that hands the mapping over cannot leak it by throwing.
                if (_exceptionPaths && mayThrow && _throwingPoint is null && (state & after & State.Mapped) != 0 && !ReleasedByHandlerCached(block))
                    _throwingPoint = operation;
                state = after;
            }
            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
            {
                // The end of a finally: an exception that ran it goes on to the handlers around it.
                foreach (var handler in handlers)
                    Merge(handler.FirstBlockOrdinal, state);
            }
            if (block.BranchValue is { } branchValue)
            {
                state = Transfer(branchValue, state, report: true);
                if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && IsTracked(OperationShape.Unwrap(branchValue)))
                    state = State.HandedOff;
            }
            if (block.Kind == BasicBlockKind.Exit)
                continue;

            for (int side = 0; side < 2; side++)
            {
                bool taken = side == 1;
                var branch = taken ? block.ConditionalSuccessor : block.FallThroughSuccessor;
                if (branch is null)
                    continue;
                var after = Refine(block, state, conditionHolds: taken == (block.ConditionKind == ControlFlowConditionKind.WhenTrue));
                if (after == State.None)
                    continue;
                foreach (var region in FinallyRegionsRun(block, branch))
                {
                    // The finally's own blocks are analysed from the union of states that reach it; past it, its
                    // effect is applied in order.
                    Merge(region.FirstBlockOrdinal, after);
                    after = ApplyRegion(region, after);
                }
                if (branch.Destination is { } destination)
                {
                    if (destination.Kind == BasicBlockKind.Exit)
                        NoteLeak(after, block);
                    Merge(destination.Ordinal, after);
                }
                else if (branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow && _exceptionPaths)
                {
                    // The exception goes to the handlers around the throw; it leaves with the mapping only when none releases it.
                    foreach (var handler in handlers)
                        Merge(handler.FirstBlockOrdinal, after);
                    if (!ReleasedByHandlerCached(block))
                        NoteLeak(after, block);
                }
            }
        }
    }

    /// <summary>
    /// The finally regions a branch runs on its way, innermost first: those of the try/finally statements whose try
    /// part it leaves. Roslyn's <c>branch.FinallyRegions</c> gives the same answer but computes every branch's leaving
    /// regions when first asked, though most branches leave no try.
    /// </summary>
    internal static ImmutableArray<ControlFlowRegion> FinallyRegionsRun(BasicBlock block, ControlFlowBranch branch)
    {
        if (branch.Destination is not { } destination)
            return ImmutableArray<ControlFlowRegion>.Empty; // a throw, or the end of a finally
        ImmutableArray<ControlFlowRegion>.Builder? run = null;
        for (var region = block.EnclosingRegion; region is not null && !Contains(region, destination); region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndFinally } tryAndFinally)
                (run ??= ImmutableArray.CreateBuilder<ControlFlowRegion>()).Add(tryAndFinally.NestedRegions[tryAndFinally.NestedRegions.Length - 1]);
        }
        return run?.ToImmutable() ?? ImmutableArray<ControlFlowRegion>.Empty;
    }

    private static bool Contains(ControlFlowRegion region, BasicBlock block) => block.Ordinal >= region.FirstBlockOrdinal && block.Ordinal <= region.LastBlockOrdinal;

    private static bool InTryBody(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
                return false;
            if (region.Kind == ControlFlowRegionKind.Try)
                return true;
        }
        return false;
    }

    private void NoteLeak(State state, BasicBlock block)
    {
        if ((state & State.Mapped) != 0 && !_leaks)
            (_leaks, _leakAt) = (true, block.BranchValue ?? (block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : null));
    }

    /// <summary>
    /// What a conditional branch proves: on the path where <c>m.IsMapped</c> holds the mapping is not unmapped (and the
    /// other way round); a null test of the mapping cannot succeed while it holds a mapping, since Map never returns null.
    /// </summary>
    private State Refine(BasicBlock block, State state, bool conditionHolds)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is not { } condition)
            return state;
        bool negated = false;
        condition = OperationShape.Unwrap(condition)!;
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = !negated;
            condition = OperationShape.Unwrap(not.Operand)!;
        }
        bool holds = conditionHolds != negated;
        switch (condition)
        {
            case IPropertyReferenceOperation { Property.Name: Names.PageMapping.IsMapped } isMapped when IsTracked(OperationShape.Unwrap(isMapped.Instance)):
                var refined = holds ? state & ~State.Unmapped : state & ~State.Mapped;
                return refined == State.None ? state : refined;
            case IIsNullOperation isNull when IsTracked(OperationShape.Unwrap(isNull.Operand)):
                return holds ? state & State.NotMapped : state;
            default:
                return state;
        }
    }

    private State ApplyRegion(ControlFlowRegion region, State state)
    {
        for (int ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
        {
            foreach (var operation in _graph.Blocks[ordinal].Operations)
                state = Transfer(operation, state, report: false);
        }
        return state;
    }

    private State Transfer(IOperation operation, State state, bool report)
    {
        if (!Touches(operation))
            return state;
        foreach (var node in _listing.Under(operation))
        {
            switch (node)
            {
                case ISimpleAssignmentOperation assignment when IsTracked(assignment.Target):
                    // Overwriting a mapping that may still be owned loses it (a map in a loop, unmapped after it).
                    if (report && (state & State.Mapped) != 0 && !_leaks)
                        (_leaks, _leakAt) = (true, assignment);
                    if (_sites.FreshMapping(assignment.Value) is { } source)
                    {
                        // Only an extent buffer's Dispose frees the pages it mapped; an allocator's tears everything down.
                        if (source.TargetMethod.ContainingType is { Name: Names.ExtentBuffer.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace })
                            _mappedBuffer ??= OperationShape.VariableOf(source.Instance);
                        NoteMappedFolios(source);
                        state = State.Mapped;
                    }
                    else
                    {
                        state = State.NotMapped;
                    }
                    break;
                case IInvocationOperation call when call.Instance is { } instance && IsTracked(OperationShape.Unwrap(instance)) && MappingOwnership.IsUnmapsPages(call.TargetMethod, _types):
                    // Dispose after an unmap does nothing; a second Unmap throws.
                    if (call.TargetMethod.Name == Names.PageMapping.Unmap)
                        Report(call, Misuse.UnmappedTwice, state, report);
                    state = State.Unmapped;
                    _everReleased = true;
                    break;
                case IPropertyReferenceOperation { Property.Name: Names.PageMapping.Span } span when span.Instance is { } instance && IsTracked(OperationShape.Unwrap(instance)):
                    Report(span, Misuse.UsedAfterUnmap, state, report);
                    break;
                case ILocalReferenceOperation { IsDeclaration: false } spanUse when _spans.Contains(spanUse.Local) && !OperationShape.IsAssignedTo(spanUse):
                    Report(spanUse, Misuse.SpanOutlivesMapping, state, report);
                    break;
                case IReturnOperation { ReturnedValue: { } returned } when IsTracked(OperationShape.Unwrap(returned)):
                    state = State.HandedOff;
                    break;
                case IArgumentOperation argument when IsTracked(OperationShape.Unwrap(argument.Value)) && MappingOwnership.TakesOwnership(argument, _types):
                    if (argument.Parameter is { } parameter && FoliosTypes.HasAttribute(parameter, _types.UnmapsPagesAttribute))
                    {
                        state = State.Unmapped;
                        _everReleased = true;
                    }
                    else
                    {
                        state = State.HandedOff;
                    }
                    break;
                case ISimpleAssignmentOperation store when IsTracked(OperationShape.Unwrap(store.Value)) && MappingOwnership.IsEscapeTarget(store.Target):
                    state = State.HandedOff;
                    break;
                case IOperation carrier when MappingOwnership.IsCarrier(carrier) && carrier.ChildOperations.Any(child => IsTracked(OperationShape.Unwrap(child))):
                    // A tuple, anonymous object, array or collection that holds the mapping takes it along.
                    state = State.HandedOff;
                    break;
                case IInvocationOperation { IsImplicit: false, TargetMethod.Name: Names.Disposable.Dispose, Instance: { } buffer } free
                    when _mappedBuffer is not null && SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(buffer), _mappedBuffer):
                    ReportFree(free, state, report);
                    break;
                case IInvocationOperation { TargetMethod.Name: Names.PageAllocator.Free } free when free.Arguments.Length == 1 && IsMappedFolio(free.Arguments[0].Value):
                    ReportFree(free, state, report);
                    break;
            }
        }
        return state;
    }

    private void ReportFree(IOperation free, State state, bool report)
    {
        if (report && (state & State.Mapped) != 0)
            _misuses[free] = (Misuse.FreedWhileMapped, state == State.Mapped);
    }

    private void Report(IOperation at, Misuse kind, State state, bool report)
    {
        if (report && (state & State.Unmapped) != 0)
            _misuses[at] = (kind, state == State.Unmapped);
    }

    /// <summary>The folios a Map call was given: an array or span variable (its elements), or the variables listed.</summary>
    private void NoteMappedFolios(IInvocationOperation map)
    {
        if (map.Arguments.Length != 1)
            return;
        var pages = OperationShape.Unwrap(map.Arguments[0].Value);
        if (OperationShape.VariableOf(pages) is { } whole)
            _mappedFolios.Add(whole);
        foreach (var element in pages?.Descendants() ?? [])
        {
            if (OperationShape.VariableOf(element) is { } listed)
                _mappedFolios.Add(listed);
        }
    }

    private bool IsMappedFolio(IOperation folio) => OperationShape.Unwrap(folio) switch
    {
        IArrayElementReferenceOperation element => OperationShape.VariableOf(element.ArrayReference) is { } array && _mappedFolios.Contains(array),
        var other => OperationShape.VariableOf(other) is { } symbol && _mappedFolios.Contains(symbol),
    };

    // Blocks are visited again whenever their entry state grows: what does not depend on the state is decided once,
    // per statement of the graph (0: not yet, 1: no, 2: yes).
    private readonly sbyte[] _mayThrow;
    private readonly sbyte[] _touches;
    private readonly Dictionary<int, bool> _releasedByHandler = new();

    /// <summary>Whether the operation can change or observe the mapping at all: most operations of a body cannot.</summary>
    private bool Touches(IOperation operation) => Decided(_touches, operation, static (flow, statement) => flow.TouchesNow(statement));

    private bool TouchesNow(IOperation operation)
    {
        foreach (var node in _listing.Under(operation))
        {
            bool touches = node switch
            {
                ILocalReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Local, _local) || _spans.Contains(reference.Local),
                IFlowCaptureReferenceOperation capture => IsTracked(capture),
                IInvocationOperation { TargetMethod.Name: Names.PageAllocator.Free or Names.Disposable.Dispose } => true,
                _ => false,
            };
            if (touches)
                return true;
        }
        return false;
    }

    private bool MayThrowCached(IOperation operation) => Decided(_mayThrow, operation, static (flow, statement) => flow.MayThrow(statement));

    private bool Decided(sbyte[] answers, IOperation statement, Func<MappingFlow, IOperation, bool> decide)
    {
        int index = _listing.IndexOf(statement);
        if (index < 0)
            return decide(this, statement);
        if (answers[index] == 0)
            answers[index] = decide(this, statement) ? (sbyte)2 : (sbyte)1;
        return answers[index] == 2;
    }

    private bool ReleasedByHandlerCached(BasicBlock block)
    {
        if (!_releasedByHandler.TryGetValue(block.Ordinal, out bool released))
            _releasedByHandler[block.Ordinal] = released = ReleasedByHandler(block);
        return released;
    }

    /// <summary>True when a catch or finally around the block releases the mapping: an exception there does not leak it.</summary>
    private bool ReleasedByHandler(BasicBlock block)
    {
        foreach (var handler in Graphs.HandlersAround(_graph, block))
        {
            for (int ordinal = handler.FirstBlockOrdinal; ordinal <= handler.LastBlockOrdinal; ordinal++)
            {
                foreach (var operation in _graph.Blocks[ordinal].Operations)
                {
                    if (Transfer(operation, State.Mapped, report: false) != State.Mapped)
                        return true;
                }
            }
        }
        return false;
    }

    /// <summary><c>m.Span</c>, or a slice or range of it.</summary>
    private bool IsMappingSpan(IOperation? value)
    {
        for (value = OperationShape.Unwrap(value); value is not null; value = OperationShape.Unwrap(value))
        {
            switch (value)
            {
                case IPropertyReferenceOperation { Property.Name: Names.PageMapping.Span } span when IsTracked(OperationShape.Unwrap(span.Instance)):
                    return true;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice when slice.Instance is not null:
                    value = slice.Instance;
                    break;
                case IImplicitIndexerReferenceOperation range when FrameworkTypes.IsSpan(range.Type):
                    value = range.Instance;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    /// <summary>Calls and object creations may throw, except work on the mapping itself (its span, its unmap).</summary>
    private bool MayThrow(IOperation operation)
    {
        foreach (var node in _listing.Under(operation))
        {
            if (node is IObjectCreationOperation or IThrowOperation)
                return true;
            if (node is IInvocationOperation call && !MappingOwnership.IsMapsPages(call, _types) && !IsRootedInTracked(call))
                return true;
        }
        return false;
    }

    private bool IsRootedInTracked(IInvocationOperation call)
    {
        IOperation? receiver = OperationShape.Receiver(call);
        while (receiver is not null)
        {
            receiver = OperationShape.Unwrap(receiver);
            switch (receiver)
            {
                case IPropertyReferenceOperation property:
                    receiver = property.Instance;
                    break;
                case IInvocationOperation inner:
                    receiver = OperationShape.Receiver(inner);
                    break;
                default:
                    return IsTracked(receiver);
            }
        }
        return false;
    }

    private bool IsTracked(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Local, _local),
        IFlowCaptureReferenceOperation capture => SymbolEqualityComparer.Default.Equals(_sites.AliasOf(capture), _local),
        _ => false,
    };
}
