using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// The acquire/release engine behind every ownership rule (FOLIO003/004 for mappings, FOLIO011/012 for pooled buffers):
/// a may-analysis over a control-flow graph of one local's state (not held, held, released, handed off) along every
/// path, for one <see cref="ResourceKind"/>. One worklist; one capture model (flow captures that alias the local, and
/// captures that carry a fresh resource into it; ref locals that alias it); one exception model (a catch or finally
/// starts from every state its try reaches, a branch through finally regions applies them, and an exception leaves
/// the method holding the resource unless a finally, or a catch that catches everything, releases it). The leak rules
/// ask where a path leaves with the resource still owned; the misuse rules ask where an operation meets a resource that
/// may already be released.
/// </summary>
internal sealed class OwnershipFlow
{
    [Flags]
    private enum State
    {
        None = 0,
        NotHeld = 1,
        Held = 2,
        Released = 4,
        HandedOff = 8,

        /// <summary>Held, but given up by its owner (<see cref="ResourceKind.GivenUpWhen"/>): leaving with it is a latent leak.</summary>
        GivenUp = 16,

        /// <summary>
        /// Released on a path that only a latent step reaches: a release that left the memory as it was
        /// (<see cref="ResourceKind.Release.KeepingMemory"/>), or a handler reached from after the release only if the
        /// acquisition that refills the local throws, or only by out of memory or an asynchronous exception.
        /// </summary>
        ReleasedLatently = 32,
    }

    public enum Misuse
    {
        /// <summary>Released again where releasing twice is a misuse (a second Unmap, Return or Dispose of an owner).</summary>
        ReleasedTwice,

        /// <summary>The resource itself used after its release.</summary>
        UsedAfterRelease,

        /// <summary>A view of its memory (a span kept in a local) used after its release.</summary>
        ViewOutlivesResource,

        /// <summary>Something it depends on (the pages a mapping maps) freed while it is held.</summary>
        FreedWhileHeld,

        /// <summary>Released to another owner than the one it came from (an array returned to another pool).</summary>
        ReleasedToAnotherOwner,
    }

    private static readonly List<ControlFlowRegion> NoHandlers = [];

    private readonly ControlFlowGraph _graph;
    private readonly OperationTrees.GraphListing _listing;
    private readonly ILocalSymbol _local;
    private readonly ResourceKind _kind;
    private readonly OwnershipSites _sites;
    private readonly bool _exceptionPaths;
    private readonly Tracked _tracked;
    private readonly IReadOnlyList<IInvocationOperation> _acquisitions;
    private readonly HashSet<ILocalSymbol> _views = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _dependencies = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IOperation, (Misuse Kind, bool Certain, bool Latent)> _misuses = new(OperationIdentity.Instance);
    private bool _everReleased;
    private IOperation? _throwingPoint;
    private IOperation? _leakAt;
    private bool _leaks;
    private IOperation? _normalLeakAt;
    private bool _leaksNormally;
    private IOperation? _givenUpLeakAt;
    private bool _leavesGivenUp;

    public OwnershipFlow(ControlFlowGraph graph, ILocalSymbol local, ResourceKind kind, OwnershipSites sites, bool exceptionPaths, CancellationToken cancellation)
    {
        _acquisitions = sites.Tracked.TryGetValue(local, out var acquisitions) ? acquisitions : [];
        _graph = graph;
        _listing = OperationTrees.Listing(graph);
        _touches = new sbyte[_listing.StatementCount];
        _mayThrow = new sbyte[_listing.StatementCount];
        _local = local;
        _kind = kind;
        _sites = sites;
        _exceptionPaths = exceptionPaths;
        _tracked = new Tracked(IsTracked, _acquisitions, sites.SingleWrite, _views.Contains);
        // Locals that hold a view of the resource (a span, memory, slice or position of it, or a view of such a view)
        // and are never assigned anything else: they outlive a release, and the memory does not. A copy (ToArray) is
        // no view of it.
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var written in sites.LocalWrites)
            {
                if (written.Value.Length == 1 && !_views.Contains(written.Key) && IsView(written.Value[0]))
                    grew |= _views.Add(written.Key);
            }
        }
        Run(cancellation);
    }

    /// <summary>A path leaves with the resource owned; <see cref="LeakAt"/> says where (null: the end of the body).</summary>
    public bool Leaks => _leaks || _throwingPoint is not null;

    public IOperation? LeakAt => _leaks ? _leakAt : _throwingPoint;

    /// <summary>Only an exception leaves with the resource owned.</summary>
    public bool LeaksByExceptionOnly => !_leaks && _throwingPoint is not null;

    /// <summary>
    /// A path that no exception takes (the end of the body, a return, an overwrite, a yield) leaves with the resource
    /// owned; <see cref="NormalLeakAt"/> says where. Explicit throws and operations that may throw are not such paths.
    /// </summary>
    public bool LeaksOnNormalPath => _leaksNormally;

    public IOperation? NormalLeakAt => _normalLeakAt;

    /// <summary>
    /// A path that no exception takes leaves with the resource given up by its owner (a final read); where, in
    /// <see cref="GivenUpLeakAt"/>. A latent leak: the rules report it only on request.
    /// </summary>
    public bool LeavesGivenUp => _leavesGivenUp;

    public IOperation? GivenUpLeakAt => _givenUpLeakAt;

    /// <summary>Some path releases the resource.</summary>
    public bool EverReleased => _everReleased;

    /// <summary>
    /// Each misuse at the operation that commits it; Certain when every path to it agrees; Latent when every path to it
    /// passes a latent step (see <see cref="State.ReleasedLatently"/>), which the rules report only on request.
    /// </summary>
    public IReadOnlyDictionary<IOperation, (Misuse Kind, bool Certain, bool Latent)> Misuses => _misuses;

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
        Merge(0, State.NotHeld);

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
            // the state at any block of it. Not so for a block of a handler, which starts from its own entry. A
            // release that reaches a handler only that way is latent: what may really throw is followed below.
            if (InTryBody(block))
            {
                foreach (var handler in handlers)
                    Merge(handler.FirstBlockOrdinal, Latently(state));
            }
            foreach (var operation in block.Operations)
            {
                // Whether it may throw matters only where a handler is waiting or the resource may be held.
                bool mayThrow = (handlers.Count > 0 || _exceptionPaths && _throwingPoint is null && (state & State.Held) != 0) && MayThrowCached(operation);
                var after = Transfer(operation, state, report: true);
                // An operation that takes the resource over (a collection's Add, a release) cannot leak it by throwing:
                // what throws is then the new owner's concern, inside a try or not. A release that throws has not
                // released it either (a pool checks the array before it keeps it), so nothing more is known.
                var whenThrown = (state & State.Held) != 0 && (after & State.Held) == 0 ? State.HandedOff : state;
                if (mayThrow)
                {
                    foreach (var handler in handlers)
                        Merge(handler.FirstBlockOrdinal, whenThrown);
                }
                // An acquisition that refills the local after a release may throw (a size no pool serves): the handler
                // then finds the local naming the released resource. Rare enough to be latent.
                if (handlers.Count > 0 && (state & State.Released) != 0 && RefillsTracked(operation))
                {
                    foreach (var handler in handlers)
                        Merge(handler.FirstBlockOrdinal, Latently(state));
                }
                if (_exceptionPaths && mayThrow && _throwingPoint is null && (whenThrown & State.Held) != 0 && !ReleasedByHandlerCached(block))
                    _throwingPoint = operation;
                if (IsYieldHolding(operation, state, block))
                    NoteLeakAt(operation, normally: true);
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
                if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && (IsTracked(OperationShape.UnwrapTaskValue(branchValue)) || CarriesResource(branchValue)))
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
                        NoteLeak(after, block, normally: true);
                    Merge(destination.Ordinal, after);
                }
                else if (branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow && _exceptionPaths)
                {
                    // The exception goes to the handlers around the throw; it leaves with the resource only when none releases it.
                    foreach (var handler in handlers)
                        Merge(handler.FirstBlockOrdinal, after);
                    if (!ReleasedByHandlerCached(block))
                        NoteLeak(after, block, normally: false);
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

    /// <summary>The state with a release reached only by a latent step marked so (<see cref="State.ReleasedLatently"/>).</summary>
    private static State Latently(State state) => (state & State.Released) != 0 ? (state & ~State.Released) | State.ReleasedLatently : state;

    private void NoteLeak(State state, BasicBlock block, bool normally)
    {
        var at = block.BranchValue ?? (block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : null);
        if ((state & State.Held) != 0)
            NoteLeakAt(at, normally);
        else if ((state & State.GivenUp) != 0 && normally && !_leavesGivenUp)
            (_leavesGivenUp, _givenUpLeakAt) = (true, at);
    }

    private void NoteLeakAt(IOperation? at, bool normally)
    {
        if (!_leaks)
            (_leaks, _leakAt) = (true, at);
        if (normally && !_leaksNormally)
            (_leaksNormally, _normalLeakAt) = (true, at);
    }

    /// <summary>
    /// A <c>yield return</c> of something else while the resource is held, outside a finally that releases it: a
    /// consumer that stops early disposes the iterator there, which runs the finally blocks around the yield and
    /// nothing after it.
    /// </summary>
    private bool IsYieldHolding(IOperation operation, State state, BasicBlock block) =>
        operation is IReturnOperation { Kind: OperationKind.YieldReturn } yield && (state & State.Held) != 0
        && !IsTracked(OperationShape.Unwrap(yield.ReturnedValue)) && !ReleasedByFinally(block);

    /// <summary>
    /// What a conditional branch proves: what the kind says of the condition (a mapping's IsMapped); and a null test of
    /// the local, which cannot succeed while it holds a resource (Map and Rent never return null).
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
        // while (true): the branch out of the loop on a false condition is never taken.
        if (condition.ConstantValue is { HasValue: true, Value: bool constant } && constant != holds)
            return State.None;
        // An acquisition that reports by its result (TryRead) acquires on the path where it returned true only.
        if (condition is IInvocationOperation call && _kind.Acquires(call) && _kind.DeliveredThrough(call) is { } delivered && IsTracked(OperationShape.Unwrap(delivered.Value)))
            return holds ? state : State.NotHeld;
        // A pattern that binds the local to a fresh resource fails only when there is none (Map and Rent never return null).
        if (condition is IIsPatternOperation { Pattern: var pattern } && DeclaresTracked(pattern))
            return holds ? state : State.NotHeld;
        if ((state & State.Held) != 0 && _kind.GivenUpWhen(condition, holds, _tracked))
            return (state & ~State.Held) | State.GivenUp;
        if (_kind.HeldWhen(condition, holds, _tracked) is { } held)
        {
            var refined = held ? state & ~(State.Released | State.ReleasedLatently) : state & ~(State.Held | State.GivenUp);
            return refined == State.None ? state : refined;
        }
        return OperationShape.NullTest(condition, IsTracked) is { } isNull && (isNull == holds) ? state & State.NotHeld : state;
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
        // The listing is in source order, parents first, but an assignment's value and a call's instance and arguments
        // are evaluated before it takes effect: an acquisition or a release applies once its operands are past (the
        // read that fills the local is not a second read; positions read for AdvanceTo are not used after it).
        IOperation? pending = null;
        var afterPending = state;
        foreach (var node in _listing.Under(operation))
        {
            if (pending is not null && !IsWithin(node, pending))
                (state, pending) = (afterPending, null);
            switch (node)
            {
                case ISimpleAssignmentOperation { IsRef: true }:
                    // ref var alias = ref local: one variable under two names (OwnershipSites), nothing acquired.
                    break;
                case ISimpleAssignmentOperation assignment when IsTracked(assignment.Target):
                    // A value built over the held resource (a ReadResult over a slice of its buffer) carries it on.
                    (pending, afterPending) = (assignment, _kind.CarriesOn(assignment.Value, _tracked) ? state : Acquire(assignment, assignment.Value, state, report));
                    break;
                case IPatternOperation pattern when DeclaresTracked(pattern) && pattern.Parent is IIsPatternOperation matched:
                    state = Acquire(pattern, matched.Value, state, report);
                    break;
                case IInvocationOperation call when _kind.ReleaseBy(call, _tracked) is var release && release != ResourceKind.Release.None:
                    if (release == ResourceKind.Release.Once)
                        Report(call, Misuse.ReleasedTwice, state, report);
                    if (report && (state & State.Held) != 0 && _kind.IsAnotherOwner(call, _tracked))
                        _misuses[call] = (Misuse.ReleasedToAnotherOwner, state == State.Held, Latent: false);
                    (pending, afterPending) = (call, release == ResourceKind.Release.KeepingMemory ? State.ReleasedLatently : State.Released);
                    _everReleased = true;
                    break;
                case IInvocationOperation call when _kind.Acquires(call) && _kind.DeliveredThrough(call) is { } delivered && IsTracked(OperationShape.Unwrap(delivered.Value)):
                    (pending, afterPending) = (call, Acquire(call, call, state, report));
                    break;
                case IInvocationOperation again when report && (state & (State.Held | State.GivenUp)) != 0 && _kind.Acquires(again) && _kind.SameSource(again, _tracked):
                    NoteLeakAt(again, normally: true);
                    break;
                case ILocalReferenceOperation { IsDeclaration: false } viewUse when _views.Contains(viewUse.Local) && !OperationShape.IsAssignedTo(viewUse):
                    Report(viewUse, Misuse.ViewOutlivesResource, state, report);
                    break;
                case IReturnOperation { ReturnedValue: { } returned } when IsTracked(OperationShape.UnwrapTaskValue(returned)):
                    state = State.HandedOff;
                    break;
                case IArgumentOperation argument when IsTracked(OperationShape.UnwrapTaskValue(argument.Value)) && _kind.TakesOwnership(argument, _tracked) && !IsReleasedBy(argument.Parent)
                    || argument.Parameter?.RefKind == RefKind.None && CarriesResource(argument.Value) && Transfers.IsOwnerArgument(argument) && !_kind.IsView(argument.Parent, _tracked):
                    state = State.HandedOff;
                    break;
                case ISimpleAssignmentOperation store when IsTracked(OperationShape.UnwrapTaskValue(store.Value)) && Target(store).Any(Transfers.IsEscapeTarget) && !_kind.IsView(store.Value, _tracked)
                    || Target(store).Any(target => target is IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation) && CarriesResource(store.Value):
                    state = State.HandedOff;
                    break;
                case IOperation carrier when Transfers.IsCarrier(carrier) && carrier.ChildOperations.Any(child => IsTracked(OperationShape.Unwrap(child))):
                    // A tuple, anonymous object, array or collection that holds the resource takes it along.
                    state = State.HandedOff;
                    break;
                default:
                    if (_kind.UseAt(node, _tracked) is { } use)
                        Report(use, Misuse.UsedAfterRelease, state, report);
                    else if (_dependencies.Count > 0 && _kind.Frees(node, _dependencies) && report && (state & State.Held) != 0)
                        _misuses[node] = (Misuse.FreedWhileHeld, state == State.Held, Latent: false);
                    break;
            }
        }
        return pending is null ? state : afterPending;
    }

    /// <summary>
    /// What a store writes to: its target, or, where the value branches (<c>_kept = a ?? throw ...</c>), the target the
    /// graph captured before the branch.
    /// </summary>
    private IEnumerable<IOperation> Target(ISimpleAssignmentOperation store) =>
        store.Target is IFlowCaptureReferenceOperation captured ? _sites.CapturedValues(captured.Id) : [store.Target];

    private static bool IsWithin(IOperation node, IOperation ancestor)
    {
        for (var parent = node.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent == ancestor)
                return true;
        }
        return false;
    }

    /// <summary>A view of the resource, directly or through a capture on any of its paths (<c>cond ? stackalloc ... : (rented = pool.Rent(n))</c>).</summary>
    private bool IsView(IOperation value) =>
        _kind.IsView(value, _tracked)
        || OperationShape.Unwrap(value) is IFlowCaptureReferenceOperation capture && _sites.CapturedValues(capture.Id).Any(captured => _kind.IsView(captured, _tracked));

    /// <summary>
    /// Whether a value returned, stored in a field or an out parameter, or handed to an owner carries the resource without being it: a value
    /// built over it (<see cref="ResourceKind.CarriesOn"/>), or a view of it that carries its ownership
    /// (<see cref="ResourceKind.ViewCarriesOwnership"/>), directly or on any path of a conditional.
    /// </summary>
    private bool CarriesResource(IOperation value)
    {
        bool Carries(IOperation candidate) => _kind.CarriesOn(candidate, _tracked) || _kind.ViewCarriesOwnership(candidate) && _kind.IsView(candidate, _tracked);
        return Carries(value)
            || OperationShape.Unwrap(value) is IFlowCaptureReferenceOperation capture
                && _sites.CapturedValues(capture.Id).Any(captured => IsTracked(OperationShape.Unwrap(captured)) || Carries(captured));
    }

    /// <summary>Whether the call an argument belongs to releases the resource (its own case, above): the argument does not hand it off too.</summary>
    private bool IsReleasedBy(IOperation? call) => call is IInvocationOperation invocation && _kind.ReleaseBy(invocation, _tracked) != ResourceKind.Release.None;

    /// <summary>The local gets a value: a fresh resource makes it held, anything else not. Overwriting a resource that may still be owned loses it.</summary>
    private State Acquire(IOperation at, IOperation value, State state, bool report)
    {
        if (report && (state & State.Held) != 0)
            NoteLeakAt(at, normally: true);
        var fresh = _sites.FreshResources(value);
        if (fresh.Count == 0)
            return State.NotHeld;
        foreach (var source in fresh)
            _dependencies.UnionWith(_kind.DependsOn(source));
        return State.Held;
    }

    private bool DeclaresTracked(IPatternOperation pattern) => SymbolEqualityComparer.Default.Equals(OwnershipSites.BoundBy(pattern), _local);

    private void Report(IOperation at, Misuse kind, State state, bool report)
    {
        if (report && (state & State.Released) != 0)
            _misuses[at] = (kind, state == State.Released, Latent: false);
        else if (report && (state & State.ReleasedLatently) != 0)
            _misuses[at] = (kind, Certain: false, Latent: true);
    }

    /// <summary>Whether the operation stores a fresh resource into the local (<c>a = pool.Rent(n)</c>).</summary>
    private bool RefillsTracked(IOperation operation)
    {
        if (!Touches(operation))
            return false;
        foreach (var node in _listing.Under(operation))
        {
            if (node is ISimpleAssignmentOperation { IsRef: false } assignment && IsTracked(assignment.Target) && _sites.FreshResources(assignment.Value).Count > 0)
                return true;
        }
        return false;
    }

    // Blocks are visited again whenever their entry state grows: what does not depend on the state is decided once,
    // per statement of the graph (0: not yet, 1: no, 2: yes).
    private readonly sbyte[] _mayThrow;
    private readonly sbyte[] _touches;
    private readonly Dictionary<int, bool> _releasedByHandler = new();

    /// <summary>Whether the operation can change or observe the resource at all: most operations of a body cannot.</summary>
    private bool Touches(IOperation operation) => Decided(_touches, operation, static (flow, statement) => flow.TouchesNow(statement));

    private bool TouchesNow(IOperation operation)
    {
        foreach (var node in _listing.Under(operation))
        {
            bool touches = node switch
            {
                ILocalReferenceOperation reference => IsTracked(reference) || _views.Contains(reference.Local),
                IFlowCaptureReferenceOperation capture => IsTracked(capture),
                IPatternOperation pattern => DeclaresTracked(pattern),
                _ => _kind.MayAffect(node),
            };
            if (touches)
                return true;
        }
        return false;
    }

    private bool MayThrowCached(IOperation operation) => Decided(_mayThrow, operation, static (flow, statement) => flow.MayThrow(statement));

    private bool Decided(sbyte[] answers, IOperation statement, Func<OwnershipFlow, IOperation, bool> decide)
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
            _releasedByHandler[block.Ordinal] = released = ReleasedByHandler(block, finallyOnly: false);
        return released;
    }

    private bool ReleasedByFinally(BasicBlock block) => ReleasedByHandler(block, finallyOnly: true);

    /// <summary>
    /// True when a finally around the block, or a catch that catches every exception (no type narrower than Exception,
    /// no filter), releases the resource: an exception there does not leak it. A typed or filtered catch lets the other
    /// exceptions leave with the resource held.
    /// </summary>
    private bool ReleasedByHandler(BasicBlock block, bool finallyOnly)
    {
        foreach (var handler in Graphs.HandlersAround(_graph, block))
        {
            if (handler.Kind != ControlFlowRegionKind.Finally && (finallyOnly || !CatchesEverything(handler)))
                continue;
            for (int ordinal = handler.FirstBlockOrdinal; ordinal <= handler.LastBlockOrdinal; ordinal++)
            {
                foreach (var operation in _graph.Blocks[ordinal].Operations)
                {
                    if (Transfer(operation, State.Held, report: false) != State.Held)
                        return true;
                }
            }
        }
        return false;
    }

    private static bool CatchesEverything(ControlFlowRegion handler) =>
        handler.Kind == ControlFlowRegionKind.Catch
        && handler.ExceptionType is null or { SpecialType: SpecialType.System_Object } or { Name: nameof(Exception), ContainingNamespace: { Name: Names.SystemNamespace, ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>Calls and object creations may throw, except work on the resource itself (its span, its release) and acquisitions.</summary>
    private bool MayThrow(IOperation operation)
    {
        foreach (var node in _listing.Under(operation))
        {
            if (node is IObjectCreationOperation or IThrowOperation)
                return true;
            if (node is IInvocationOperation call && !_kind.Acquires(call) && !IsRootedInTracked(call))
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
        ILocalReferenceOperation reference => SymbolEqualityComparer.Default.Equals(_sites.Aliased(reference.Local), _local),
        IFlowCaptureReferenceOperation capture => SymbolEqualityComparer.Default.Equals(_sites.AliasOf(capture), _local),
        _ => false,
    };
}
