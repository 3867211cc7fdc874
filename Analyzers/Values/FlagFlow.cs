using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>
/// The values a flags local may hold where it is used, from every assignment that reaches the use: <c>=</c>,
/// <c>|=</c>, <c>&amp;=</c>, <c>^=</c>, conditional and switch expressions, on the control-flow graph. Used only where
/// the simple fold (<see cref="ConstantValues"/>) gives up, which is rare, so the graph is built rarely.
/// </summary>
internal static class FlagFlow
{
    /// <summary>More distinct values than this, and the answer is "unknown".</summary>
    private const int MaxValues = 64;

    /// <summary>
    /// The values the local may hold at <paramref name="use"/>, or null when some write cannot be folded. Writes through
    /// a <c>ref</c> local that aliases it (<c>ref var a = ref flags; a |= X;</c>) are its writes; a write in a lambda or
    /// local function, which may run at any time, makes its values unknown, as does reading it through a ref local.
    /// </summary>
    public static HashSet<long>? ValuesAt(ControlFlowGraph graph, ILocalReferenceOperation use, CancellationToken cancellation)
    {
        var local = use.Local;
        if (local.IsRef || Aliases(OperationTrees.Of(OperationShape.Root(graph.OriginalOperation)), local) is not { } names)
            return null;
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
                if (!Transfer(nodes, state, local, names))
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

    /// <summary>
    /// The values a flags expression may have where it is written: a constant; <c>|</c>, <c>&amp;</c>, <c>^</c> and
    /// <c>~</c> of possible values; both branches of a conditional (<c>NoFail | (quick ? NoRetry : None)</c>); every arm
    /// of a switch expression. Any other part (a local, a flow capture) gets its values from <paramref name="leafValues"/>:
    /// the graph's state where the graph is walked, the local's own values where a whole argument is. Null when a part
    /// is unknown (a parameter, a field, a call) or the values grow past <see cref="MaxValues"/>.
    /// </summary>
    public static HashSet<long>? ValuesOf(IOperation value, Func<IOperation, HashSet<long>?> leafValues)
    {
        if (ConstantValues.TryGetInt64(value, out long constant))
            return [constant];
        switch (OperationShape.Unwrap(value))
        {
            case IBinaryOperation binary:
                return ValuesOf(binary.LeftOperand, leafValues) is { } left && ValuesOf(binary.RightOperand, leafValues) is { } right
                    ? Combine(binary.OperatorKind, left, right)
                    : null;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation } not:
                return ValuesOf(not.Operand, leafValues) is { } operand ? [.. operand.Select(v => ~v)] : null;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return ValuesOf(conditional.WhenTrue, leafValues) is { } whenTrue && ValuesOf(whenFalse, leafValues) is { } otherwise
                    ? Bounded([.. whenTrue, .. otherwise])
                    : null;
            case ISwitchExpressionOperation choice:
                var arms = new HashSet<long>();
                foreach (var arm in choice.Arms)
                {
                    if (ValuesOf(arm.Value, leafValues) is not { } armValues)
                        return null;
                    arms.UnionWith(armValues);
                }
                return Bounded(arms);
            case { } leaf:
                return leafValues(leaf);
            default:
                return null;
        }
    }

    private static HashSet<long>? Bounded(HashSet<long> values) => values.Count > MaxValues ? null : values;

    /// <summary>
    /// Every bit the local may ever hold, read from its writes alone (its initializer, <c>=</c>, <c>|=</c>, <c>&amp;=</c>,
    /// <c>^=</c> of values that fold, conditional and switch expressions of them), with no graph; null when a write or
    /// a use may set it some other way (<c>++</c>, a ref, out or in argument, its address, a ref local, a tuple, a
    /// pattern, a loop variable) or a written value does not fold. <paramref name="listing"/> is the member's, lambdas
    /// and local functions included. When the answer lacks NoFail, or lacks every flag that gives up, no path can bring
    /// them together and <see cref="ValuesAt"/> need not build the graph.
    /// </summary>
    public static long? BitsEverHeld(IOperation[] listing, ILocalSymbol local)
    {
        if (local.IsRef)
            return null;
        long bits = 0;
        foreach (var operation in listing)
        {
            long? written = operation switch
            {
                IVariableDeclaratorOperation declarator when Is(declarator.Symbol, local) => declarator.Initializer is { } initializer
                    ? BitsOf(initializer.Value, local)
                    : declarator.Parent is IVariableDeclarationOperation ? 0 : null, // a foreach or using variable gets values of its own
                ILocalReferenceOperation reference when Is(reference.Local, local) => BitsWrittenThrough(reference, local),
                IDeclarationPatternOperation { DeclaredSymbol: { } declared } when SymbolEqualityComparer.Default.Equals(declared, local) => null,
                IRecursivePatternOperation { DeclaredSymbol: { } matched } when SymbolEqualityComparer.Default.Equals(matched, local) => null,
                _ => 0,
            };
            if (written is not { } more)
                return null;
            bits |= more;
        }
        return bits;
    }

    /// <summary>The bits one reference to the local may write: 0 for a read, null for a write that does not fold.</summary>
    private static long? BitsWrittenThrough(ILocalReferenceOperation reference, ILocalSymbol local) => reference.Parent switch
    {
        ISimpleAssignmentOperation assignment when assignment.Target == reference => assignment.IsRef ? null : BitsOf(assignment.Value, local),
        ISimpleAssignmentOperation { IsRef: true } => null,
        ICompoundAssignmentOperation compound when compound.Target == reference => compound.OperatorKind switch
        {
            BinaryOperatorKind.And => 0, // only clears bits
            BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr => BitsOf(compound.Value, local),
            _ => null,
        },
        IArgumentOperation argument => argument.Parameter?.RefKind == RefKind.None ? 0 : null,
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } } => null,
        IIncrementOrDecrementOperation or IAddressOfOperation or ITupleOperation or IDeclarationExpressionOperation => null,
        { Kind: OperationKind.None or OperationKind.Invalid } => null,
        _ => 0,
    };

    /// <summary>The bits a written value may have; the local itself adds none (its other writes are counted).</summary>
    private static long? BitsOf(IOperation value, ILocalSymbol local)
    {
        if (ConstantValues.TryGetInt64(value, out long constant))
            return constant;
        return OperationShape.Unwrap(value) switch
        {
            ILocalReferenceOperation reference when Is(reference.Local, local) => 0,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr } binary
                => BitsOf(binary.LeftOperand, local) is { } left && BitsOf(binary.RightOperand, local) is { } right ? left | right : null,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.And } both => (BitsOf(both.LeftOperand, local), BitsOf(both.RightOperand, local)) switch
            {
                ({ } left, { } right) => left & right,
                ({ } left, null) => left,
                (null, { } right) => right,
                _ => null,
            },
            IConditionalOperation { WhenFalse: { } whenFalse } conditional
                => BitsOf(conditional.WhenTrue, local) is { } whenTrue && BitsOf(whenFalse, local) is { } otherwise ? whenTrue | otherwise : null,
            ISwitchExpressionOperation choice => ArmsBits(choice, local),
            _ => null,
        };
    }

    private static long? ArmsBits(ISwitchExpressionOperation choice, ILocalSymbol local)
    {
        long bits = 0;
        foreach (var arm in choice.Arms)
        {
            if (BitsOf(arm.Value, local) is not { } armBits)
                return null;
            bits |= armBits;
        }
        return bits;
    }

    /// <summary>Applies the writes of one operation (its nodes, innermost last); false when a write to the local cannot be folded.</summary>
    private static bool Transfer(ReadOnlySpan<IOperation> nodes, Dictionary<object, HashSet<long>> state, ILocalSymbol local, HashSet<ILocalSymbol> names)
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
                case ISimpleAssignmentOperation { IsRef: true }:
                    break; // an alias made (Aliases) changes no value
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when names.Contains(target.Local):
                    if (Evaluate(assignment.Value, state) is not { } assigned)
                        return false;
                    state[local] = assigned;
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound when names.Contains(target.Local):
                    if (!state.TryGetValue(local, out var before) || Evaluate(compound.Value, state) is not { } operand
                        || Combine(compound.OperatorKind, before, operand) is not { } combined)
                        return false;
                    state[local] = combined;
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation written } when names.Contains(written.Local):
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation stepped } when names.Contains(stepped.Local):
                case IDeconstructionAssignmentOperation deconstruction when deconstruction.Target.DescendantsAndSelf().Any(target => target is ILocalReferenceOperation part && names.Contains(part.Local)):
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The local and the ref locals that alias it (<c>ref var a = ref flags;</c>, and ref locals of those), or null when
    /// one of them is later pointed elsewhere (<c>a = ref other;</c>) or written in a lambda or local function.
    /// </summary>
    private static HashSet<ILocalSymbol>? Aliases(IOperation[] listing, ILocalSymbol local)
    {
        var names = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default) { local };
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var operation in listing)
            {
                if (operation is IVariableDeclaratorOperation { Symbol.IsRef: true, Initializer.Value: var value } declarator && Aliases(value, names))
                    grew |= names.Add(declarator.Symbol);
                else if (operation is ISimpleAssignmentOperation { IsRef: true, Target: ILocalReferenceOperation alias } pointed && Aliases(pointed.Value, names))
                    grew |= names.Add(alias.Local);
            }
        }
        foreach (var operation in listing)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { IsRef: true, Target: ILocalReferenceOperation alias } pointed when names.Contains(alias.Local) && !Aliases(pointed.Value, names):
                    return null;
                case ILocalReferenceOperation reference when names.Contains(reference.Local) && OperationShape.InNestedFunction(reference)
                    && (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference
                        || reference.Parent is IIncrementOrDecrementOperation or IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }):
                    return null;
            }
        }
        return names;
    }

    private static bool Aliases(IOperation value, HashSet<ILocalSymbol> names) => OperationShape.Unwrap(value) is ILocalReferenceOperation target && names.Contains(target.Local);

    private static HashSet<long>? Evaluate(IOperation value, Dictionary<object, HashSet<long>> state) => ValuesOf(value, leaf => leaf switch
    {
        IFlowCaptureReferenceOperation capture => state.TryGetValue(capture.Id, out var captured) ? captured : null,
        ILocalReferenceOperation reference => state.TryGetValue(reference.Local, out var held) ? held : null,
        _ => null,
    });

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

    private static bool Is(ILocalSymbol symbol, ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(symbol, local);

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
