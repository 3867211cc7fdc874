using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// The values a flags local may hold where it is used, from every assignment that reaches the use: <c>=</c>,
/// <c>|=</c>, <c>&amp;=</c>, <c>^=</c>, conditional and switch expressions, on the control-flow graph. Used only where
/// the simple fold (<see cref="ConstantValues"/>) gives up, which is rare, so the graph is built rarely.
/// </summary>
internal static class FlagFlow
{
    /// <summary>More distinct values than this, and the answer is "unknown".</summary>
    private const int MaxValues = 64;

    /// <summary>The values the local may hold at <paramref name="use"/>, or null when some write cannot be folded.</summary>
    public static HashSet<long>? ValuesAt(ControlFlowGraph graph, ILocalReferenceOperation use, CancellationToken cancellation)
    {
        var local = use.Local;
        var blocks = graph.Blocks;
        var listing = OperationTrees.Listing(graph);
        var entry = new Dictionary<object, HashSet<long>>?[blocks.Length];
        entry[0] = new Dictionary<object, HashSet<long>>();
        var work = new Queue<int>();
        work.Enqueue(0);
        HashSet<long>? atUse = null;
        bool unknown = false;
        int steps = 0;
        while (work.Count > 0 && !unknown && steps++ < 10_000)
        {
            cancellation.ThrowIfCancellationRequested();
            int ordinal = work.Dequeue();
            var state = Copy(entry[ordinal]!);
            var block = blocks[ordinal];
            foreach (var operation in block.Operations.Concat(block.BranchValue is { } branch ? [branch] : []))
            {
                var nodes = listing.Under(operation);
                foreach (var node in nodes)
                {
                    if (node is ILocalReferenceOperation reference && reference.Syntax == use.Syntax && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                        atUse = Union(atUse, state.TryGetValue(local, out var seen) ? seen : null, ref unknown);
                }
                if (!Transfer(nodes, state, local))
                    unknown = true;
            }
            for (int side = 0; side < 2; side++)
            {
                var successor = side == 0 ? block.FallThroughSuccessor?.Destination : block.ConditionalSuccessor?.Destination;
                if (successor is null)
                    continue;
                if (entry[successor.Ordinal] is not { } known)
                {
                    entry[successor.Ordinal] = Copy(state);
                    work.Enqueue(successor.Ordinal);
                }
                else if (MergeInto(known, state))
                {
                    work.Enqueue(successor.Ordinal);
                }
            }
        }
        return unknown || work.Count > 0 ? null : atUse;
    }

    /// <summary>Applies the writes of one operation (its nodes, innermost last); false when a write to the local cannot be folded.</summary>
    private static bool Transfer(ReadOnlySpan<IOperation> nodes, Dictionary<object, HashSet<long>> state, ILocalSymbol local)
    {
        for (int i = nodes.Length - 1; i >= 0; i--)
        {
            var node = nodes[i];
            switch (node)
            {
                case IFlowCaptureOperation capture:
                    if (Evaluate(capture.Value, state) is { } captured)
                        state[capture.Id] = captured;
                    else
                        state.Remove(capture.Id);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when Is(target, local):
                    if (Evaluate(assignment.Value, state) is not { } assigned)
                        return false;
                    state[local] = assigned;
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound when Is(target, local):
                    if (!state.TryGetValue(local, out var before) || Evaluate(compound.Value, state) is not { } operand
                        || Combine(compound.OperatorKind, before, operand) is not { } combined)
                        return false;
                    state[local] = combined;
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation written } when Is(written, local):
                    return false;
            }
        }
        return true;
    }

    private static HashSet<long>? Evaluate(IOperation value, Dictionary<object, HashSet<long>> state)
    {
        if (ConstantValues.TryGetInt64(value, out long constant))
            return [constant];
        return ConstantValues.Unwrap(value) switch
        {
            IFlowCaptureReferenceOperation capture => state.TryGetValue(capture.Id, out var captured) ? captured : null,
            ILocalReferenceOperation reference => state.TryGetValue(reference.Local, out var held) ? held : null,
            IBinaryOperation binary when Evaluate(binary.LeftOperand, state) is { } left && Evaluate(binary.RightOperand, state) is { } right
                => Combine(binary.OperatorKind, left, right),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation } not when Evaluate(not.Operand, state) is { } operand
                => [.. operand.Select(v => ~v)],
            _ => null,
        };
    }

    private static HashSet<long>? Combine(BinaryOperatorKind op, HashSet<long> left, HashSet<long> right)
    {
        Func<long, long, long>? apply = op switch
        {
            BinaryOperatorKind.Or => (a, b) => a | b,
            BinaryOperatorKind.And => (a, b) => a & b,
            BinaryOperatorKind.ExclusiveOr => (a, b) => a ^ b,
            _ => null,
        };
        if (apply is null)
            return null;
        var result = new HashSet<long>();
        foreach (long a in left)
        {
            foreach (long b in right)
            {
                result.Add(apply(a, b));
                if (result.Count > MaxValues)
                    return null;
            }
        }
        return result;
    }

    private static bool Is(ILocalReferenceOperation reference, ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(reference.Local, local);

    private static HashSet<long>? Union(HashSet<long>? into, HashSet<long>? more, ref bool unknown)
    {
        if (more is null)
        {
            unknown = true;
            return into;
        }
        into ??= [];
        into.UnionWith(more);
        return into;
    }

    private static Dictionary<object, HashSet<long>> Copy(Dictionary<object, HashSet<long>> state) =>
        state.ToDictionary(pair => pair.Key, pair => new HashSet<long>(pair.Value));

    /// <summary>Unions <paramref name="state"/> into <paramref name="known"/>; a slot unknown on either side stays unknown.</summary>
    private static bool MergeInto(Dictionary<object, HashSet<long>> known, Dictionary<object, HashSet<long>> state)
    {
        bool changed = false;
        foreach (var key in known.Keys.ToList())
        {
            if (!state.TryGetValue(key, out var values))
            {
                known.Remove(key);
                changed = true;
            }
            else if (!known[key].IsSupersetOf(values))
            {
                known[key].UnionWith(values);
                changed = true;
            }
        }
        return changed;
    }
}
