using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Sequences;

/// <summary>
/// Decides whether the code has established that a segment holds what a read takes from it: the sequence is
/// single-segment (tested, or built from one array or memory), or the segment's length was compared before the read.
/// Guards are the conditions around the read (if, ternary, &amp;&amp;, ||, switch-expression arms, while, for), early
/// exits before it, and <c>Debug.Assert</c> (the author's statement of what holds). A guard counts only if the
/// sequence (or reader) is not written between it and the read, in source order.
/// </summary>
internal static class SegmentGuards
{
    public static bool Establishes(SegmentRead read, FrameworkTypes types)
    {
        var segment = read.Segment;
        if (IsSingleSegmentByConstruction(segment.Sequence, types, 0))
            return true;
        var facts = FactsAt(read.Node, segment, types);
        if (facts.SingleSegment)
            return true;
        return read.Kind switch
        {
            SegmentReadKind.Bounded => (facts.LengthChecked && (read.Need is not { } need || facts.AnyBound is false || facts.Bound >= need))
                || read.Operands.Any(operand => ComesFromSegment(operand, segment, types)),
            SegmentReadKind.Comparison => facts.LengthChecked,
            SegmentReadKind.Search => HasMultiSegmentPath(OperationShape.Root(read.Node), segment, types),
            _ => false,
        };
    }

    /// <summary>
    /// Whether the code has established, where <paramref name="at"/> runs, that the segment or writer span holds
    /// <paramref name="need"/> elements (FOLIO016 asks it of an <c>Advance</c>, which reads no bytes itself).
    /// </summary>
    public static bool Holds(IOperation at, FirstSegment segment, long need, FrameworkTypes types)
    {
        var facts = FactsAt(at, segment, types);
        return facts.LengthChecked && (!facts.AnyBound || facts.Bound >= need);
    }

    private sealed class Facts
    {
        public bool SingleSegment;
        public bool LengthChecked;

        /// <summary>False when some length check compares against a value that is not constant (trusted).</summary>
        public bool AnyBound = true;

        public long Bound;
    }

    private static Facts FactsAt(IOperation read, FirstSegment segment, FrameworkTypes types)
    {
        var facts = new Facts();
        var writes = WritesOf.GetValue(segment, key => Writes(OperationShape.Root(key.Source), key, types));
        for (var node = read; node.Parent is { } parent; node = parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when node == conditional.WhenTrue:
                    Add(facts, conditional.Condition, true, segment, types, writes, conditional.Condition, read);
                    break;
                case IConditionalOperation conditional when node == conditional.WhenFalse:
                    Add(facts, conditional.Condition, false, segment, types, writes, conditional.Condition, read);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when node == conjunction.RightOperand:
                    Add(facts, conjunction.LeftOperand, true, segment, types, writes, conjunction.LeftOperand, read);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when node == disjunction.RightOperand:
                    Add(facts, disjunction.LeftOperand, false, segment, types, writes, disjunction.LeftOperand, read);
                    break;
                case ISwitchExpressionArmOperation arm when node == arm.Value && arm.Parent is ISwitchExpressionOperation switchExpression:
                    AddPattern(facts, switchExpression.Value, arm.Pattern, segment, types, writes, read);
                    if (arm.Guard is { } when)
                        Add(facts, when, true, segment, types, writes, when, read);
                    break;
                case IWhileLoopOperation { ConditionIsTop: true, Condition: { } condition } loop when node == loop.Body:
                    Add(facts, condition, !loop.ConditionIsUntil, segment, types, writes, condition, read);
                    break;
                case IForLoopOperation { Condition: { } condition } loop when node == loop.Body:
                    Add(facts, condition, true, segment, types, writes, condition, read);
                    break;
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == node)
                            break;
                        if (statement is IConditionalOperation { WhenFalse: null, WhenTrue: var exit } early && Exits(exit))
                            Add(facts, early.Condition, false, segment, types, writes, early, read);
                        else if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { Name: Names.Debug.Assert, ContainingType.Name: Names.Debug.TypeName }, Arguments.Length: > 0 } assert })
                            Add(facts, assert.Arguments[0].Value, true, segment, types, writes, assert, read);
                    }
                    break;
            }
        }
        return facts;
    }

    /// <summary>What <paramref name="condition"/> being <paramref name="holds"/> says about the segment, if the sequence is not written between it and the read.</summary>
    private static void Add(Facts facts, IOperation condition, bool holds, FirstSegment segment, FrameworkTypes types, List<Write> writes, IOperation guard, IOperation read)
    {
        condition = OperationShape.Unwrap(condition)!;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                Add(facts, negation.Operand, !holds, segment, types, writes, guard, read);
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } when holds:
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } when !holds:
                var both = (IBinaryOperation)condition;
                Add(facts, both.LeftOperand, holds, segment, types, writes, guard, read);
                Add(facts, both.RightOperand, holds, segment, types, writes, guard, read);
                return;
            case IPropertyReferenceOperation { Property.Name: Names.ReadOnlySequence.IsSingleSegment, Instance: { } sequence } when holds && (IsSameOrOrigin(sequence, segment) || IsReadersSequence(sequence, segment, types)):
                if (!WrittenBetween(writes, guard, read, keepsSingleSegment: true))
                    facts.SingleSegment = true;
                return;
            case IPropertyReferenceOperation { Property.Name: Names.Span.IsEmpty, Instance: { } view } when !holds && segment.IsViewOf(view, types, out bool whole):
                Bound(facts, whole ? 1 : null, writes, guard, read);
                return;
            // A Try decoder that succeeded (TryWriteInt32LittleEndian(span, v), MemoryMarshal.TryRead(span, out v)) found its bytes there.
            case IInvocationOperation { Arguments.Length: > 0 } decoder when holds && IsTryDecoder(decoder, types) && segment.IsViewOf(decoder.Arguments[0].Value, types, out bool wholeView):
                Bound(facts, wholeView ? ValueSizes.Decoded(decoder.TargetMethod) : null, writes, guard, read);
                return;
            // A reader never rests on an empty segment: while it has data left, its UnreadSpan holds at least one byte.
            case IPropertyReferenceOperation { Property.Name: Names.SequenceReader.End } end when !holds && HasDataLeft(end, segment, types):
                Bound(facts, 1, writes, guard, read);
                return;
            case IBinaryOperation remaining when HasDataLeft(remaining.LeftOperand, segment, types) || HasDataLeft(remaining.RightOperand, segment, types):
                bool left = HasDataLeft(remaining.LeftOperand, segment, types);
                var kind = left ? remaining.OperatorKind : Mirror(remaining.OperatorKind);
                var count = left ? remaining.RightOperand : remaining.LeftOperand;
                if (!holds)
                    kind = Negate(kind);
                if (ConstantValues.TryGetInt64(count, out long at) && (kind is BinaryOperatorKind.GreaterThan && at >= 0 || kind is BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals && at >= 1 || kind is BinaryOperatorKind.NotEquals && at == 0))
                    Bound(facts, 1, writes, guard, read);
                return;
            case IBinaryOperation comparison:
                if (segment.IsLength(comparison.LeftOperand, types, out bool exact))
                    Compare(facts, comparison.OperatorKind, comparison.RightOperand, holds, exact, writes, guard, read);
                else if (segment.IsLength(comparison.RightOperand, types, out exact))
                    Compare(facts, Mirror(comparison.OperatorKind), comparison.LeftOperand, holds, exact, writes, guard, read);
                return;
        }
    }

    /// <summary>
    /// What a switch arm's pattern says about the value switched on: <c>seq.IsSingleSegment switch { true =&gt; ... }</c>,
    /// and position by position for tuples (<c>(a.IsSingleSegment, b.IsSingleSegment) switch { (true, _) =&gt; ... }</c>).
    /// </summary>
    private static void AddPattern(Facts facts, IOperation value, IPatternOperation pattern, FirstSegment segment, FrameworkTypes types, List<Write> writes, IOperation read)
    {
        value = OperationShape.Unwrap(value)!;
        switch (pattern)
        {
            case IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: bool matched } }:
                Add(facts, value, matched, segment, types, writes, pattern, read);
                break;
            case IRecursivePatternOperation { DeconstructionSubpatterns: { Length: > 0 } parts } when value is ITupleOperation tuple && tuple.Elements.Length == parts.Length:
                for (int i = 0; i < parts.Length; i++)
                    AddPattern(facts, tuple.Elements[i], parts[i], segment, types, writes, read);
                break;
        }
    }

    /// <summary><c>length OP other</c> known to be <paramref name="holds"/>: the bytes the segment holds at least.</summary>
    private static void Compare(Facts facts, BinaryOperatorKind kind, IOperation other, bool holds, bool exact, List<Write> writes, IOperation guard, IOperation read)
    {
        if (!holds)
            kind = Negate(kind);
        bool known = ConstantValues.TryGetInt64(other, out long value) && exact;
        long? bound = kind switch
        {
            BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals => value,
            BinaryOperatorKind.GreaterThan => value + 1,
            BinaryOperatorKind.NotEquals when known && value == 0 => 1,
            _ => null,
        };
        if (bound is not null)
            Bound(facts, known ? bound : null, writes, guard, read);
    }

    private static void Bound(Facts facts, long? bound, List<Write> writes, IOperation guard, IOperation read)
    {
        if (WrittenBetween(writes, guard, read, keepsSingleSegment: false))
            return;
        facts.LengthChecked = true;
        if (bound is { } value)
            facts.Bound = Math.Max(facts.Bound, value);
        else
            facts.AnyBound = false;
    }

    private static bool IsTryDecoder(IInvocationOperation call, FrameworkTypes types) =>
        types.IsDecoder(call)
        && (call.TargetMethod.Name.StartsWith(Names.Decoders.TryRead, StringComparison.Ordinal) || call.TargetMethod.Name.StartsWith(Names.Decoders.TryWrite, StringComparison.Ordinal));

    private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    private static BinaryOperatorKind Negate(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThanOrEqual,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.Equals => BinaryOperatorKind.NotEquals,
        BinaryOperatorKind.NotEquals => BinaryOperatorKind.Equals,
        _ => BinaryOperatorKind.None,
    };

    private static bool Exits(IOperation statement) => statement switch
    {
        IReturnOperation or IThrowOperation or IBranchOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation { Operations.Length: > 0 } block => Exits(block.Operations[block.Operations.Length - 1]),
        _ => false,
    };

    /// <summary>
    /// The sequence itself, or one it was sliced from (<c>var part = seq.Slice(2)</c>): a slice of a single-segment
    /// sequence is single-segment too.
    /// </summary>
    private static bool IsSameOrOrigin(IOperation tested, FirstSegment segment)
    {
        string key = FirstSegment.KeyOf(tested);
        IOperation? sequence = segment.Sequence;
        for (int depth = 0; depth < 8 && sequence is not null; depth++)
        {
            if (FirstSegment.KeyOf(sequence) == key)
                return true;
            sequence = OperationShape.Unwrap(sequence) switch
            {
                ILocalReferenceOperation local => OperationShape.Unwrap(ConstantValues.SingleAssignedValue(local)) is IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Instance: { } origin } ? origin : null,
                IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Instance: { } origin } => origin,
                _ => null,
            };
        }
        return false;
    }

    /// <summary><c>reader.Sequence</c> of the reader whose current segment is read.</summary>
    private static bool IsReadersSequence(IOperation tested, FirstSegment segment, FrameworkTypes types) =>
        segment.OfReader && OperationShape.Unwrap(tested) is IPropertyReferenceOperation { Property.Name: Names.SequenceReader.Sequence, Instance: { } reader } sequence
        && types.IsReader(sequence.Property.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key;

    /// <summary><c>reader.End</c> or <c>reader.Remaining</c>, when the read is of that reader's UnreadSpan.</summary>
    private static bool HasDataLeft(IOperation operand, FirstSegment segment, FrameworkTypes types) =>
        segment.OfReader && segment.Source is IPropertyReferenceOperation { Property.Name: Names.SequenceReader.UnreadSpan }
        && OperationShape.UnwrapNumeric(operand) is IPropertyReferenceOperation { Property.Name: Names.SequenceReader.End or Names.SequenceReader.Remaining, Instance: { } reader } property
        && types.IsReader(property.Property.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key;

    /// <summary><c>new ReadOnlySequence&lt;T&gt;(array)</c> or <c>(memory)</c>, or a slice of one, directly or through locals.</summary>
    private static bool IsSingleSegmentByConstruction(IOperation? sequence, FrameworkTypes types, int depth)
    {
        if (depth > 8)
            return false;
        return OperationShape.Unwrap(sequence) switch
        {
            IObjectCreationOperation creation => types.IsSequence(creation.Type) && creation.Arguments.Length is 1 or 3
                && creation.Arguments[0].Value.Type is IArrayTypeSymbol or INamedTypeSymbol { Name: Names.Memory.ReadOnlyTypeName },
            IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Instance: { } origin } => IsSingleSegmentByConstruction(origin, types, depth + 1),
            ILocalReferenceOperation local => IsSingleSegmentByConstruction(ConstantValues.SingleAssignedValue(local), types, depth + 1),
            _ => false,
        };
    }

    /// <summary>
    /// An offset or length computed from the segment itself: clamped by <c>Math.Min</c> against its length, or the
    /// result of a search in it.
    /// </summary>
    private static bool ComesFromSegment(IOperation operand, FirstSegment segment, FrameworkTypes types)
    {
        foreach (var operation in operand.DescendantsAndSelf())
        {
            var value = operation is ILocalReferenceOperation local ? OperationShape.Unwrap(ConstantValues.SingleAssignedValue(local)) : operation;
            if (value is IInvocationOperation { TargetMethod: { Name: Names.Math.Min, ContainingType.Name: Names.Math.TypeName } } min
                && min.Arguments.Any(argument => segment.IsLength(argument.Value, types, out _)))
                return true;
            if (value is IInvocationOperation search && types.IsSpanExtension(search) && search.TargetMethod.Name.Contains(Names.Span.IndexOf)
                && search.Arguments.Length > 0 && segment.IsViewOf(search.Arguments[0].Value, types, out _))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The method also reads the sequence beyond its first segment (PositionOf, a SequenceReader, foreach, TryGet,
    /// ToArray, CopyTo, or hands it whole to a method): a miss in the first segment is then not the end of the search.
    /// </summary>
    private static bool HasMultiSegmentPath(IOperation root, FirstSegment segment, FrameworkTypes types)
    {
        foreach (var operation in OperationTrees.Of(root))
        {
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.PositionOf or Names.ReadOnlySequence.ToArray or Names.ReadOnlySequence.CopyTo or Names.ReadOnlySequence.TryGet or Names.ReadOnlySequence.GetEnumerator } call
                    when (call.Instance ?? (call.Arguments.Length > 0 ? call.Arguments[0].Value : null)) is { } receiver
                         && types.IsSequence(receiver.Type) && FirstSegment.KeyOf(receiver) == segment.Key:
                    return true;
                case IForEachLoopOperation loop when types.IsSequence(OperationShape.Unwrap(loop.Collection)?.Type) && FirstSegment.KeyOf(OperationShape.Unwrap(loop.Collection)!) == segment.Key:
                    return true;
                case IArgumentOperation { Parameter: { } parameter } argument when types.IsSequence(parameter.Type) && FirstSegment.KeyOf(argument.Value) == segment.Key:
                    return true;
                case IInvocationOperation { TargetMethod.Name: Names.SequenceReader.TryReadTo or Names.SequenceReader.TryReadToAny or Names.SequenceReader.TryAdvanceTo or Names.SequenceReader.TryAdvanceToAny or Names.SequenceReader.IsNext or Names.SequenceReader.TryCopyTo, Instance: { } reader } call
                    when segment.OfReader && types.IsReader(call.TargetMethod.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key:
                    return true;
                case IPropertyReferenceOperation { Property.Name: Names.SequenceReader.Sequence or Names.SequenceReader.UnreadSequence, Instance: { } reader } whole
                    when segment.OfReader && types.IsReader(whole.Property.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key:
                    return true;
            }
        }
        return false;
    }

    private readonly struct Write
    {
        public Write(int position, bool keepsSingleSegment)
        {
            Position = position;
            KeepsSingleSegment = keepsSingleSegment;
        }

        public int Position { get; }

        /// <summary><c>seq = seq.Slice(...)</c>: the segment changes, but a single-segment sequence stays one.</summary>
        public bool KeepsSingleSegment { get; }
    }

    // One walk per segment, however many reads of it are judged.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FirstSegment, List<Write>> WritesOf = new();

    /// <summary>Every assignment to the sequence, or to the variable it is a member of (<c>result</c> for <c>result.Buffer</c>).</summary>
    private static List<Write> Writes(IOperation root, FirstSegment segment, FrameworkTypes types)
    {
        var writes = new List<Write>();
        foreach (var operation in OperationTrees.Of(root))
        {
            IOperation? target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                // A reader moves with every call on it (Advance, TryRead, ...), and its current segment with it.
                IInvocationOperation { Instance: { } reader } call when segment.OfReader && types.IsReader(call.TargetMethod.ContainingType) => reader,
                _ => null,
            };
            if (target is null)
                continue;
            string written = FirstSegment.KeyOf(target);
            if (written != segment.Key && !segment.Key.StartsWith(written + ".", StringComparison.Ordinal))
                continue;
            bool selfSlice = operation is ISimpleAssignmentOperation { Value: var value }
                && OperationShape.Unwrap(value) is IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Instance: { } origin } && FirstSegment.KeyOf(origin) == written;
            writes.Add(new Write(operation.Syntax.SpanStart, selfSlice));
        }
        return writes;
    }

    private static bool WrittenBetween(List<Write> writes, IOperation guard, IOperation read, bool keepsSingleSegment)
    {
        int from = guard.Syntax.Span.End, to = read.Syntax.SpanStart;
        foreach (var write in writes)
        {
            if (write.Position >= from && write.Position < to && !(keepsSingleSegment && write.KeepsSingleSegment))
                return true;
        }
        return false;
    }
}
