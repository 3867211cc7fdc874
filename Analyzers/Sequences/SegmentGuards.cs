using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Sequences;

/// <summary>What the code has established about a segment where a read of it happens.</summary>
internal sealed class SegmentFacts
{
    /// <summary>The sequence is single-segment: tested, built from one array or memory, or made so on every path.</summary>
    public bool SingleSegment { get; set; }

    /// <summary>The elements the segment holds at least, by a check of its length against a constant.</summary>
    public long SegmentBound { get; set; }

    /// <summary>The segment's length was checked against a value that is not a constant (<c>i &lt; span.Length</c>): trusted.</summary>
    public bool SegmentTrusted { get; set; }

    /// <summary>The elements the whole sequence holds at least (<c>seq.Length &gt;= 4</c>, <c>!seq.IsEmpty</c>).</summary>
    public long SequenceBound { get; set; }

    /// <summary>Lengths the segment was found not to have (<c>case 0</c> and <c>case 1</c> before <c>default</c>).</summary>
    public HashSet<long> SegmentExcluded { get; } = [];

    /// <summary>Lengths the sequence was found not to have.</summary>
    public HashSet<long> SequenceExcluded { get; } = [];

    /// <summary>A length is never negative: a bound the excluded lengths follow on from rises past them.</summary>
    public void Settle()
    {
        while (SegmentExcluded.Contains(SegmentBound))
            SegmentBound++;
        while (SequenceExcluded.Contains(SequenceBound))
            SequenceBound++;
    }
}

/// <summary>
/// Decides whether the code has established that a segment holds what a read takes from it: the sequence is
/// single-segment (tested, built from one array or memory, or assigned one on every path), or the segment's length was
/// compared before the read, or (for the first element only) the sequence holds data, which a framework producer never
/// puts after an empty first segment. The conditions are read by <see cref="Conditions"/>; a fact counts only if the
/// sequence (or reader) is not written between where the fact was tested and where the read takes its view.
/// </summary>
internal static class SegmentGuards
{
    public static bool Establishes(SegmentRead read, FrameworkTypes types, bool emptySegments, out SegmentFacts facts)
    {
        var segment = read.Segment;
        facts = FactsAt(read.Node, segment, types);
        if (facts.SingleSegment)
            return true;
        return read.Kind switch
        {
            SegmentReadKind.Bounded => facts.SegmentTrusted
                || (read.Need is { } need && (facts.SegmentBound >= need || (need <= 1 && facts.SequenceBound >= 1 && !emptySegments)))
                || read.Operands.Any(operand => ComesFromSegment(operand, segment, types)),
            SegmentReadKind.Comparison => facts.SegmentTrusted || (read.Need is { } compared && facts.SegmentBound >= compared),
            SegmentReadKind.Search => HasMultiSegmentPath(OperationShape.Root(read.Node), segment, types),
            _ => false,
        };
    }

    /// <summary>FOLIO016's question of a writer's span: whether its reads (writes, for a writer) are established; no empty segments apply.</summary>
    public static bool Establishes(SegmentRead read, FrameworkTypes types) => Establishes(read, types, emptySegments: true, out _);

    /// <summary>
    /// Whether the code has established, where <paramref name="at"/> runs, that the segment or writer span holds
    /// <paramref name="need"/> elements (FOLIO016 asks it of an <c>Advance</c>, which reads no bytes itself).
    /// </summary>
    public static bool Holds(IOperation at, FirstSegment segment, long need, FrameworkTypes types)
    {
        var facts = FactsAt(at, segment, types);
        return facts.SingleSegment || facts.SegmentTrusted || facts.SegmentBound >= need;
    }

    private static SegmentFacts FactsAt(IOperation at, FirstSegment segment, FrameworkTypes types)
    {
        var facts = new SegmentFacts();
        if (IsSingleSegmentByConstruction(segment.Sequence, types, 0))
        {
            facts.SingleSegment = true;
            return facts;
        }
        var writes = WritesOf.GetValue(segment, key => Writes(OperationShape.Root(key.Source), key, types));
        int taken = segment.Source.Syntax.SpanStart;
        foreach (var fact in Conditions.At(at))
            Classify(fact, segment, types, writes, taken, facts);
        if (SingleSegmentSince(at, segment, types) is { } since && !writes.Between(since, taken, keepsSingleSegment: true))
            facts.SingleSegment = true;
        if (!segment.OfReader && LengthByConstruction(segment.Sequence) is { } length)
            facts.SequenceBound = Math.Max(facts.SequenceBound, length);
        facts.Settle();
        return facts;
    }

    /// <summary>What one fact says of the segment, its sequence or its reader, if no write voids it before the read's view is taken.</summary>
    private static void Classify(Fact fact, FirstSegment segment, FrameworkTypes types, SequenceWrites writes, int taken, SegmentFacts facts)
    {
        var subject = fact.Subject;
        // A length held in a local (int available = span.Length) is the length.
        if (subject.Operation is ILocalReferenceOperation { Local.Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 } local
            && ConstantValues.SingleAssignedValue(local) is { } held)
            subject = new Subject(held);
        int tested = fact.Origin.Syntax.SpanStart;
        // A Try decoder that succeeded (TryWriteInt32LittleEndian(span, v), MemoryMarshal.TryRead(span, out v)) found its elements there.
        if (subject.Operation is IInvocationOperation { Arguments.Length: > 0 } decoder && fact.IsBoolean(out bool succeeded) && succeeded && IsTryDecoder(decoder, types)
            && segment.IsViewOf(decoder.Arguments[0].Value, types, out bool wholeView, out var decoded) && !writes.Between(decoded?.Syntax.SpanStart ?? tested, taken, keepsSingleSegment: false))
        {
            if (wholeView && ValueSizes.Decoded(decoder.TargetMethod) is { } size)
                facts.SegmentBound = Math.Max(facts.SegmentBound, size);
            else
                facts.SegmentTrusted = true;
            return;
        }
        if (!subject.TryGetMember(out var member, out var owner) || member is not IPropertySymbol property)
            return;
        switch (property.Name)
        {
            case Names.ReadOnlySequence.IsSingleSegment when types.IsSequence(property.ContainingType):
                if (fact.IsBoolean(out bool single) && single && (IsSameOrOrigin(FirstSegment.KeyOf(owner), segment) || IsReadersSequence(owner, segment, types))
                    && !writes.Between(tested, taken, keepsSingleSegment: true))
                    facts.SingleSegment = true;
                return;
            case Names.ReadOnlySequence.Length or Names.ReadOnlySequence.IsEmpty when types.IsSequence(property.ContainingType):
                if (!segment.IsSequence(FirstSegment.KeyOf(owner)) || writes.Between(tested, taken, keepsSingleSegment: false))
                    return;
                if (AtLeast(fact, property.Name) is { } holds)
                    facts.SequenceBound = Math.Max(facts.SequenceBound, holds);
                else if (Excluded(fact, property.Name) is { } excluded)
                    facts.SequenceExcluded.Add(excluded);
                return;
            case Names.Span.Length or Names.Span.IsEmpty when FrameworkTypes.IsSpan(property.ContainingType) || FrameworkTypes.IsMemoryType(property.ContainingType):
                if (!segment.IsViewOf(owner, types, out bool whole, out var view) || writes.Between(view?.Syntax.SpanStart ?? tested, taken, keepsSingleSegment: false))
                    return;
                if (property.Name == Names.Span.Length && fact.Value is { } other && !other.ConstantValue.HasValue && !ConstantValues.TryGetInt64(other, out _)
                    && fact.Relation is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals)
                    facts.SegmentTrusted = true;
                else if (AtLeast(fact, property.Name) is { } bound)
                {
                    // A slice's or a cast's length does not count from the segment's start: trusted like a computed bound.
                    if (whole)
                        facts.SegmentBound = Math.Max(facts.SegmentBound, bound);
                    else
                        facts.SegmentTrusted = true;
                }
                else if (whole && Excluded(fact, property.Name) is { } excluded)
                    facts.SegmentExcluded.Add(excluded);
                return;
            // A reader never rests on an empty segment: while it has data left, its UnreadSpan holds at least one element.
            case Names.SequenceReader.End or Names.SequenceReader.Remaining when types.IsReader(property.ContainingType):
                if (segment.OfReader && segment.Source is IPropertyReferenceOperation { Property.Name: Names.SequenceReader.UnreadSpan }
                    && FirstSegment.KeyOf(owner) == segment.Key && !writes.Between(tested, taken, keepsSingleSegment: false)
                    && (property.Name == Names.SequenceReader.End ? fact.IsBoolean(out bool end) && !end : AtLeast(fact, Names.Span.Length) >= 1))
                    facts.SegmentBound = Math.Max(facts.SegmentBound, 1);
                return;
        }
    }

    /// <summary>The elements a size fact guarantees: <c>Length &gt;= n</c>, <c>&gt; n</c>, <c>== n</c>, <c>!= 0</c>, <c>IsEmpty == false</c>.</summary>
    private static long? AtLeast(Fact fact, string member)
    {
        if (member == Names.Span.IsEmpty)
            return fact.IsBoolean(out bool empty) && !empty ? 1 : null;
        if (fact.LowerBound is { } bound)
            return bound;
        return fact.Relation == BinaryOperatorKind.NotEquals && fact.TryGetInt64(out long value) && value == 0 ? 1 : null;
    }

    /// <summary>A length a fact rules out: <c>Length != n</c>, <c>IsEmpty == false</c> rules out 0.</summary>
    private static long? Excluded(Fact fact, string member) =>
        member == Names.Span.Length && fact.Relation == BinaryOperatorKind.NotEquals && fact.TryGetInt64(out long value) ? value : null;

    private static bool IsTryDecoder(IInvocationOperation call, FrameworkTypes types) =>
        types.IsDecoder(call)
        && (call.TargetMethod.Name.StartsWith(Names.Decoders.TryRead, StringComparison.Ordinal) || call.TargetMethod.Name.StartsWith(Names.Decoders.TryWrite, StringComparison.Ordinal));

    /// <summary>
    /// The sequence itself, or one it was sliced from (<c>var part = seq.Slice(2)</c>): a slice of a single-segment
    /// sequence is single-segment too.
    /// </summary>
    private static bool IsSameOrOrigin(string tested, FirstSegment segment)
    {
        if (segment.OfReader)
            return false;
        IOperation? sequence = segment.Sequence;
        for (int depth = 0; depth < 8 && sequence is not null; depth++)
        {
            if (FirstSegment.KeyOf(sequence) == tested)
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
    private static bool IsReadersSequence(Subject tested, FirstSegment segment, FrameworkTypes types) =>
        segment.OfReader && tested.TryGetMember(out var member, out var reader) && member is IPropertySymbol { Name: Names.SequenceReader.Sequence } sequence
        && types.IsReader(sequence.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key;

    /// <summary>
    /// <c>new ReadOnlySequence&lt;T&gt;(array)</c> or <c>(memory)</c>, <c>ReadOnlySequence&lt;T&gt;.Empty</c>, <c>default</c>, or a
    /// slice of one, directly or through locals.
    /// </summary>
    private static bool IsSingleSegmentByConstruction(IOperation? sequence, FrameworkTypes types, int depth)
    {
        if (depth > 8)
            return false;
        return OperationShape.Unwrap(sequence) switch
        {
            IObjectCreationOperation creation => types.IsSequence(creation.Type) && creation.Arguments.Length is 1 or 3
                && creation.Arguments[0].Value.Type is IArrayTypeSymbol or INamedTypeSymbol { Name: Names.Memory.ReadOnlyTypeName },
            IPropertyReferenceOperation { Property: { Name: Names.ReadOnlySequence.Empty, IsStatic: true } empty } => types.IsSequence(empty.ContainingType),
            IFieldReferenceOperation { Field: { Name: Names.ReadOnlySequence.Empty, IsStatic: true } empty } => types.IsSequence(empty.ContainingType),
            IDefaultValueOperation value => types.IsSequence(value.Type),
            IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Instance: { } origin } => IsSingleSegmentByConstruction(origin, types, depth + 1),
            ILocalReferenceOperation local => IsSingleSegmentByConstruction(ConstantValues.SingleAssignedValue(local), types, depth + 1),
            _ => false,
        };
    }

    /// <summary>The length of a sequence sliced to a constant length (<c>seq.Slice(at, 1)</c>, which throws rather than return less).</summary>
    private static long? LengthByConstruction(IOperation? sequence)
    {
        for (int depth = 0; depth < 4; depth++)
        {
            switch (OperationShape.Unwrap(sequence))
            {
                case IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Arguments.Length: 2 } slice
                    when slice.TargetMethod.Parameters[1].Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                         && ConstantValues.TryGetInt64(slice.Arguments[1].Value, out long length):
                    return length;
                case ILocalReferenceOperation local:
                    sequence = ConstantValues.SingleAssignedValue(local);
                    continue;
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>
    /// Where the code before the read made the sequence single-segment on every path: an assignment of one
    /// (<c>s = new ReadOnlySequence&lt;byte&gt;(s.ToArray())</c>), or an <c>if</c> after which every path has one
    /// (<c>if (!s.IsSingleSegment) s = ...;</c>). The end of the latest such statement, or null.
    /// </summary>
    private static int? SingleSegmentSince(IOperation read, FirstSegment segment, FrameworkTypes types)
    {
        if (segment.OfReader)
            return null;
        for (var node = read; node.Parent is { } parent; node = parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return null;
            var statements = parent switch
            {
                IBlockOperation block => block.Operations,
                ISwitchCaseOperation section => section.Body,
                _ => default,
            };
            if (statements.IsDefault)
                continue;
            int? since = null;
            foreach (var statement in statements)
            {
                if (statement == node)
                    break;
                if (MakesSingleSegment(statement, segment, types, 0))
                    since = statement.Syntax.Span.End;
            }
            if (since is not null)
                return since;
        }
        return null;
    }

    private static bool MakesSingleSegment(IOperation statement, FirstSegment segment, FrameworkTypes types, int depth)
    {
        if (depth > 4)
            return false;
        switch (statement)
        {
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }:
                return FirstSegment.KeyOf(assignment.Target) == segment.Key && IsSingleSegmentByConstruction(assignment.Value, types, 0);
            case IBlockOperation { Operations.Length: > 0 } block:
                return MakesSingleSegment(block.Operations[block.Operations.Length - 1], segment, types, depth + 1);
            case IConditionalOperation { Condition: var condition, WhenTrue: var whenTrue, WhenFalse: var whenFalse } choice when choice.Type is null:
                return PathEndsSingle(condition, true, whenTrue, segment, types, depth) && PathEndsSingle(condition, false, whenFalse, segment, types, depth);
            default:
                return false;
        }
    }

    /// <summary>One way through an if: it leaves, ends by making the sequence single-segment, or tested that it is one and does not write it.</summary>
    private static bool PathEndsSingle(IOperation condition, bool holds, IOperation? branch, FirstSegment segment, FrameworkTypes types, int depth)
    {
        if (branch is not null && (Conditions.AlwaysLeaves(branch) || MakesSingleSegment(branch, segment, types, depth + 1)))
            return true;
        foreach (var fact in Conditions.Establish(condition, holds))
        {
            if (fact.IsBoolean(out bool single) && single && fact.Subject.TryGetMember(out var member, out var owner)
                && member.Name == Names.ReadOnlySequence.IsSingleSegment && IsSameOrOrigin(FirstSegment.KeyOf(owner), segment))
                return branch is null || !branch.DescendantsAndSelf().OfType<IAssignmentOperation>().Any(write => FirstSegment.KeyOf(write.Target) == segment.Key);
        }
        return false;
    }

    /// <summary>
    /// An offset or length computed from the segment itself: clamped by <c>Math.Min</c> against its length (through
    /// casts, and through a local every assignment of which is such a clamp or keeps one, as a second
    /// <c>n = Math.Min(n, other)</c> does), or the result of a search in it.
    /// </summary>
    private static bool ComesFromSegment(IOperation operand, FirstSegment segment, FrameworkTypes types)
    {
        foreach (var operation in operand.DescendantsAndSelf())
        {
            if (BoundedBySegment(operation, segment, types, [], 0))
                return true;
        }
        return false;
    }

    private static bool BoundedBySegment(IOperation? operation, FirstSegment segment, FrameworkTypes types, HashSet<ILocalSymbol> assuming, int depth)
    {
        operation = OperationShape.UnwrapNumeric(operation);
        if (operation is null || depth > 6)
            return false;
        switch (operation)
        {
            case IInvocationOperation { TargetMethod: { Name: Names.Math.Min, ContainingType.Name: Names.Math.TypeName } } min:
                return min.Arguments.Any(argument => AtMostSegmentLength(argument.Value, segment, types, assuming, depth + 1));
            case IInvocationOperation search when types.IsSpanExtension(search) && search.TargetMethod.Name.Contains(Names.Span.IndexOf) && search.Arguments.Length > 0:
                return segment.IsViewOf(search.Arguments[0].Value, types, out _, out _);
            case ILocalReferenceOperation { Local: var local } when !local.IsRef:
                // Assume the local bounded while its own assignments are checked: n = Math.Min(n, other) keeps a bound n had.
                if (!assuming.Add(local))
                    return true;
                var values = AssignedValues(local, operation);
                return values is { Count: > 0 } && values.All(value => value is null || BoundedBySegment(value, segment, types, assuming, depth + 1));
            default:
                return false;
        }
    }

    /// <summary>The segment's length, that length less something, or a value bounded by it.</summary>
    private static bool AtMostSegmentLength(IOperation? value, FirstSegment segment, FrameworkTypes types, HashSet<ILocalSymbol> assuming, int depth)
    {
        value = OperationShape.UnwrapNumeric(value);
        return value switch
        {
            IPropertyReferenceOperation { Property.Name: Names.Span.Length, Instance: { } view } => segment.IsViewOf(view, types, out _, out _),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } less => AtMostSegmentLength(less.LeftOperand, segment, types, assuming, depth + 1),
            _ => BoundedBySegment(value, segment, types, assuming, depth + 1),
        };
    }

    /// <summary>
    /// The values a local is given (null for a step that only lowers it: <c>n -= k</c>, <c>n--</c>); null when something
    /// else may raise it or write it through a reference.
    /// </summary>
    private static List<IOperation?>? AssignedValues(ILocalSymbol local, IOperation within)
    {
        var values = new List<IOperation?>();
        foreach (var operation in OperationTrees.Of(OperationShape.Root(within)))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (declarator.Initializer is { } initializer)
                        values.Add(initializer.Value);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    values.Add(assignment.Value);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    if (compound.OperatorKind != BinaryOperatorKind.Subtract)
                        return null;
                    values.Add(null);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } step when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    if (step.Kind != OperationKind.Decrement)
                        return null;
                    values.Add(null);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return null;
            }
        }
        return values;
    }

    /// <summary>
    /// The method also searches the sequence beyond its first segment (PositionOf, a SequenceReader over it, foreach,
    /// TryGet, ToArray, CopyTo, or hands it whole to a method; for a reader, TryReadTo or TryAdvanceTo, or its
    /// Sequence): a miss in the first segment is then not the end of the search. IsNext is no such search: it
    /// compares where the reader stands.
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
                case IInvocationOperation { TargetMethod.Name: Names.SequenceReader.TryReadTo or Names.SequenceReader.TryReadToAny or Names.SequenceReader.TryAdvanceTo or Names.SequenceReader.TryAdvanceToAny, Instance: { } reader } call
                    when segment.OfReader && types.IsReader(call.TargetMethod.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key:
                    return true;
                case IPropertyReferenceOperation { Property.Name: Names.SequenceReader.Sequence or Names.SequenceReader.UnreadSequence, Instance: { } reader } whole
                    when segment.OfReader && types.IsReader(whole.Property.ContainingType) && FirstSegment.KeyOf(reader) == segment.Key:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The writes to one segment's sequence (or reader) in its member, and the member's loops.</summary>
    private sealed class SequenceWrites(List<(int Position, bool KeepsSingleSegment)> writes, List<TextSpan> loops)
    {
        /// <summary>
        /// Whether a write may fall between two places in the code: between them in the text, or inside a loop around
        /// the later one that does not hold the earlier one (it runs before the loop's next pass). A write that keeps a
        /// single-segment sequence single-segment (<c>seq = seq.Slice(1)</c>) counts only when <paramref name="keepsSingleSegment"/> is false.
        /// </summary>
        public bool Between(int first, int second, bool keepsSingleSegment)
        {
            int from = Math.Min(first, second), to = Math.Max(first, second);
            foreach (var (position, keeps) in writes)
            {
                if (keepsSingleSegment && keeps)
                    continue;
                if (position > from && position < to)
                    return true;
                foreach (var loop in loops)
                {
                    if (loop.Contains(position) && loop.Contains(to) && !loop.Contains(from))
                        return true;
                }
            }
            return false;
        }
    }

    // One walk per segment, however many reads of it are judged.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FirstSegment, SequenceWrites> WritesOf = new();

    /// <summary>
    /// Every assignment to the sequence, or to the variable it is a member of (<c>result</c> for <c>result.Buffer</c>),
    /// and every ref argument that the method it is passed to may write (a method of the compilation that never
    /// writes the parameter does not).
    /// </summary>
    private static SequenceWrites Writes(IOperation root, FirstSegment segment, FrameworkTypes types)
    {
        var writes = new List<(int, bool)>();
        var loops = new List<TextSpan>();
        foreach (var operation in OperationTrees.Of(root))
        {
            if (operation is ILoopOperation)
                loops.Add(operation.Syntax.Span);
            IOperation? target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Out } argument => argument.Value,
                IArgumentOperation { Parameter: { RefKind: RefKind.Ref } parameter } argument when MayWrite(parameter) => argument.Value,
                // A reader moves with every call on it (Advance, TryRead, ...), and its current segment with it.
                IInvocationOperation { Instance: { } reader } call when segment.OfReader && types.IsReader(call.TargetMethod.ContainingType) => reader,
                _ => null,
            };
            if (target is null)
                continue;
            string written = FirstSegment.KeyOf(target);
            if (written != segment.Key && !segment.Key.StartsWith(written + ".", StringComparison.Ordinal))
                continue;
            bool keeps = operation is ISimpleAssignmentOperation { Value: var value }
                && (OperationShape.Unwrap(value) is IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice, Instance: { } origin } && FirstSegment.KeyOf(origin) == written
                    || IsSingleSegmentByConstruction(value, types, 0));
            writes.Add((operation.Syntax.SpanStart, keeps));
        }
        return new SequenceWrites(writes, loops);
    }

    /// <summary>
    /// Whether a method may write its ref parameter: yes, unless the parameter is a read-only struct (so only
    /// assignments change it) and the method's source in the compilation never assigns it.
    /// </summary>
    private static bool MayWrite(IParameterSymbol parameter)
    {
        if (!parameter.Type.IsReadOnly || parameter.ContainingSymbol is not IMethodSymbol { DeclaringSyntaxReferences.Length: > 0 } method)
            return true;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            foreach (var name in reference.GetSyntax().DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText == parameter.Name && IsWrittenThere(name))
                    return true;
            }
        }
        return false;
    }

    private static bool IsWrittenThere(ExpressionSyntax name)
    {
        while (name.Parent is ParenthesizedExpressionSyntax)
            name = (ExpressionSyntax)name.Parent;
        return name.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == name,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword),
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => name.Parent.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression
                or SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression,
            RefExpressionSyntax => true,
            _ => false,
        };
    }
}
