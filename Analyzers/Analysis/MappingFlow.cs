using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// Ownership flow of one mapping local over a control-flow graph: a may-analysis of "mapped and not yet
/// released" along every path, with finally regions applied where a branch runs them.
/// </summary>
internal sealed class MappingFlow
{
    [Flags]
    private enum State
    {
        None = 0,
        NotMapped = 1,
        Owned = 2,
        Released = 4,
    }

    private readonly ControlFlowGraph _graph;
    private readonly ILocalSymbol _local;
    private readonly FoliosTypes _types;
    private readonly Dictionary<CaptureId, ILocalSymbol> _captures = new();

    public MappingFlow(ControlFlowGraph graph, ILocalSymbol local, FoliosTypes types)
    {
        _graph = graph;
        _local = local;
        _types = types;
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var capture in operation.DescendantsAndSelf().OfType<IFlowCaptureOperation>())
                {
                    if (ConstantValues.Unwrap(capture.Value) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                        _captures[capture.Id] = local;
                }
            }
        }
    }

    /// <summary>
    /// Whether a path leaves with the mapping still owned; where it leaves (null: at the end of the body); whether
    /// only an exception leaves it owned; and whether any path releases it at all.
    /// </summary>
    public (bool Leaks, IOperation? At, bool ByException, bool EverReleased) FindLeak()
    {
        var blocks = _graph.Blocks;
        var entry = new State[blocks.Length];
        entry[0] = State.NotMapped;
        bool everReleased = false;
        var work = new Queue<int>();
        work.Enqueue(0);
        var queued = new HashSet<int> { 0 };
        IOperation? exit = null;
        bool leaks = false;
        IOperation? throwingPoint = null;

        while (work.Count > 0)
        {
            int ordinal = work.Dequeue();
            queued.Remove(ordinal);
            var block = blocks[ordinal];
            var state = entry[ordinal];
            foreach (var operation in block.Operations)
            {
                var after = Transfer(operation, state, ref everReleased);
                // An operation that hands the mapping over cannot leak it by throwing.
                if ((after & State.Owned) != 0 && (state & State.Owned) != 0 && throwingPoint is null && MayThrow(operation) && !IsProtectedByFinally(block))
                    throwingPoint = operation;
                state = after;
            }
            if (block.BranchValue is { } branchValue)
            {
                state = Transfer(branchValue, state, ref everReleased);
                if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && IsTracked(ConstantValues.Unwrap(branchValue)))
                    state = State.Released;
            }

            if (block.Kind == BasicBlockKind.Exit)
                continue;
            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch is null)
                    continue;
                var after = ApplyFinally(branch, state, ref everReleased);
                if (branch.Destination is null)
                {
                    if ((after & State.Owned) != 0 && !leaks && branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
                        (leaks, exit) = (true, LastOperation(block));
                    continue;
                }
                if (branch.Destination.Kind == BasicBlockKind.Exit && (after & State.Owned) != 0 && !leaks)
                    (leaks, exit) = (true, LastOperation(block));
                int next = branch.Destination.Ordinal;
                var merged = entry[next] | after;
                if (merged != entry[next])
                {
                    entry[next] = merged;
                    if (queued.Add(next))
                        work.Enqueue(next);
                }
            }
        }
        if (leaks)
            return (true, exit, false, everReleased);
        return (throwingPoint is not null, throwingPoint, true, everReleased);
    }

    private State ApplyFinally(ControlFlowBranch branch, State state, ref bool everReleased)
    {
        foreach (var region in branch.FinallyRegions)
        {
            for (int ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
            {
                foreach (var operation in _graph.Blocks[ordinal].Operations)
                    state = Transfer(operation, state, ref everReleased);
            }
        }
        return state;
    }

    /// <summary>True when a try region around the block has a finally (or catch) that releases the mapping.</summary>
    private bool IsProtectedByFinally(BasicBlock block)
    {
        foreach (var handler in Graphs.HandlersAround(_graph, block))
        {
            for (int ordinal = handler.FirstBlockOrdinal; ordinal <= handler.LastBlockOrdinal; ordinal++)
            {
                bool released = false;
                foreach (var operation in _graph.Blocks[ordinal].Operations)
                {
                    if (Transfer(operation, State.Owned, ref released) != State.Owned)
                        return true;
                }
            }
        }
        return false;
    }

    private State Transfer(IOperation operation, State state, ref bool everReleased)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            switch (node)
            {
                case ISimpleAssignmentOperation assignment when IsTracked(assignment.Target):
                    state = ConstantValues.Unwrap(assignment.Value) is IInvocationOperation source && MappingOwnership.IsMapsPages(source, _types)
                        ? State.Owned
                        : State.NotMapped;
                    break;
                case IInvocationOperation call when call.Instance is { } instance && IsTracked(ConstantValues.Unwrap(instance)) && MappingOwnership.IsUnmapsPages(call.TargetMethod, _types):
                    state = State.Released;
                    everReleased = true;
                    break;
                case IReturnOperation { ReturnedValue: { } returned } when IsTracked(ConstantValues.Unwrap(returned)):
                    state = State.Released;
                    break;
                case IArgumentOperation argument when IsTracked(ConstantValues.Unwrap(argument.Value)) && MappingOwnership.TakesOwnership(argument, _types):
                    state = State.Released;
                    everReleased |= argument.Parameter is { } parameter && FoliosTypes.HasAttribute(parameter, _types.UnmapsPagesAttribute);
                    break;
                case ISimpleAssignmentOperation store when IsTracked(ConstantValues.Unwrap(store.Value)) && MappingOwnership.IsEscapeTarget(store.Target):
                    state = State.Released;
                    break;
            }
        }
        return state;
    }

    private bool IsTracked(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Local, _local),
        IFlowCaptureReferenceOperation capture => _captures.ContainsKey(capture.Id),
        _ => false,
    };

    /// <summary>Calls and object creations may throw, except work on the mapping itself (its span, its unmap).</summary>
    private bool MayThrow(IOperation operation)
    {
        foreach (var node in operation.DescendantsAndSelf())
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
        IOperation? receiver = call.Instance ?? (call.Arguments.Length > 0 && call.TargetMethod.IsExtensionMethod ? call.Arguments[0].Value : null);
        while (receiver is not null)
        {
            receiver = ConstantValues.Unwrap(receiver);
            switch (receiver)
            {
                case IPropertyReferenceOperation property:
                    receiver = property.Instance;
                    break;
                case IInvocationOperation inner:
                    receiver = inner.Instance ?? (inner.Arguments.Length > 0 && inner.TargetMethod.IsExtensionMethod ? inner.Arguments[0].Value : null);
                    break;
                default:
                    return IsTracked(receiver);
            }
        }
        return false;
    }

    private static IOperation? LastOperation(BasicBlock block) =>
        block.BranchValue ?? (block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : null);
}
