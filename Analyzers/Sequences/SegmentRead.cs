using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Sequences;

internal enum SegmentReadKind
{
    /// <summary>Bytes at fixed places: an index, a bounded slice or range, a decoded value.</summary>
    Bounded,

    /// <summary>An index or range counted from the end: the segment's end is not the data's end.</summary>
    FromEnd,

    /// <summary>The whole segment copied into a buffer sized for the whole sequence.</summary>
    MessageCopy,

    /// <summary>StartsWith or SequenceEqual of the whole segment: a split match compares unequal.</summary>
    Comparison,

    /// <summary>EndsWith: compares the segment's end, not the data's.</summary>
    SuffixComparison,

    /// <summary>IndexOf and friends: a miss in the first segment is not a miss in the sequence.</summary>
    Search,

    /// <summary>LastIndexOf and friends: even a hit may not be the last one.</summary>
    LastSearch,

    /// <summary>A number parsed from the segment's digits: a split leaves a prefix of the number, which parses.</summary>
    Parse,
}

/// <summary>
/// An access to a first segment, found by following its view through <c>.Span</c>, slices, ranges, casts, references
/// and locals to the operation that reads. One chain gives one read: the outermost operation, which is reported and
/// rewritten.
/// </summary>
internal sealed class SegmentRead
{
    private SegmentRead(IOperation node, SegmentReadKind kind, Extent extent, FirstSegment segment)
    {
        Node = node;
        Kind = kind;
        Need = extent.NeedKnown ? extent.Need : null;
        Operands = extent.Operands;
        Segment = segment;
    }

    public IOperation Node { get; }

    public SegmentReadKind Kind { get; }

    /// <summary>
    /// The elements the segment must hold for the read (a bounded read's furthest element, a comparison's length),
    /// counting offsets at their greatest where the conditions bound them; null when something is unbounded.
    /// </summary>
    public long? Need { get; }

    /// <summary>The offsets and lengths that decide where the read lands.</summary>
    public ImmutableArray<IOperation> Operands { get; }

    public FirstSegment Segment { get; }

    public static void Follow(FirstSegment segment, FrameworkTypes types, List<SegmentRead> reads) =>
        Walk(segment.Source, Extent.Start, segment, types, reads, 0);

    private static void Walk(IOperation current, Extent extent, FirstSegment segment, FrameworkTypes types, List<SegmentRead> reads, int depth)
    {
        while (true)
        {
            current = OperationShape.Outermost(current);
            var parent = current.Parent;
            switch (parent)
            {
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span } span when span.Instance == current && FrameworkTypes.IsMemoryType(span.Property.ContainingType):
                    current = span;
                    continue;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice when slice.Instance == current:
                    extent = extent.Slice(slice.Arguments.Length > 0 ? slice.Arguments[0].Value : null, slice.Arguments.Length > 1 ? slice.Arguments[1].Value : null);
                    current = slice;
                    continue;
                case IImplicitIndexerReferenceOperation indexer when indexer.Instance == current:
                    if (OperationShape.Unwrap(indexer.Argument) is IRangeOperation range && !ValueSizes.IsFromEnd(range.LeftOperand) && !ValueSizes.IsFromEnd(range.RightOperand))
                    {
                        extent = extent.Range(range.LeftOperand, range.RightOperand);
                        current = indexer;
                        continue;
                    }
                    reads.Add(new SegmentRead(indexer, SegmentReadKind.FromEnd, extent, segment));
                    return;
                case IPropertyReferenceOperation { Property.IsIndexer: true } element when element.Instance == current:
                    reads.Add(new SegmentRead(element, SegmentReadKind.Bounded, extent.Element(element.Arguments[0].Value), segment));
                    return;
                // A list pattern compares the segment's first elements: a split makes it fail, as StartsWith does.
                case IIsPatternOperation test when test.Value == current && ListPatternLength(test.Pattern) is { } listed:
                    reads.Add(new SegmentRead(test, SegmentReadKind.Comparison, extent.Compared(listed), segment));
                    return;
                // A view named by its pattern (is { Length: >= 4 } header, is var span) is followed like a local.
                case IIsPatternOperation test when test.Value == current:
                    if (extent.Bounded)
                        reads.Add(new SegmentRead(current, SegmentReadKind.Bounded, extent, segment));
                    else if (depth < 4)
                    {
                        foreach (var alias in test.Pattern.DescendantsAndSelf().OfType<IPatternOperation>())
                        {
                            if (DesignatedLocal(alias) is { } local)
                                FollowLocal(local, current, extent, segment, types, reads, depth);
                        }
                    }
                    return;
                case ISwitchExpressionOperation choice when choice.Value == current && ListPatternLength(choice.Arms.Select(arm => arm.Pattern)) is { } listed:
                    reads.Add(new SegmentRead(current, SegmentReadKind.Comparison, extent.Compared(listed), segment));
                    return;
                case IArgumentOperation argument when argument.Parent is IInvocationOperation { TargetMethod.Name: Names.Span.CopyTo } copy && segment.Hint is not null
                    && CopiedLength(copy, argument) is { } length:
                    // A writer's span as the destination of a copy whose source has a known length ("\r\n"u8.CopyTo(span)).
                    reads.Add(new SegmentRead(copy, SegmentReadKind.Bounded, extent.Decoded(length), segment));
                    return;
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call:
                    if (Reinterprets(call, argument, types) is { } reinterpreted)
                    {
                        extent = extent.Reinterpret(reinterpreted.Elements, reinterpreted.Offset);
                        current = call;
                        continue;
                    }
                    if (ReadOf(call, argument, extent, types) is { } kind)
                        reads.Add(new SegmentRead(call, kind, kind switch
                        {
                            SegmentReadKind.Bounded => extent.Decoded(ValueSizes.Decoded(call.TargetMethod)),
                            SegmentReadKind.Comparison => extent.Compared(ComparedLength(call.Arguments.Length > 1 ? call.Arguments[1].Value : null)),
                            _ => extent,
                        }, segment));
                    else if (extent.Bounded)
                        reads.Add(new SegmentRead(current, SegmentReadKind.Bounded, extent, segment));
                    return;
                case IInvocationOperation { TargetMethod.Name: Names.Span.CopyTo or Names.Span.TryCopyTo or Names.Span.ToArray } copy when copy.Instance == current:
                    if (extent.Bounded)
                        reads.Add(new SegmentRead(copy, SegmentReadKind.Bounded, extent, segment));
                    else if (copy.Arguments.Length == 1 && IsSizedForSequence(copy.Arguments[0].Value, segment, types, 0))
                        reads.Add(new SegmentRead(copy, SegmentReadKind.MessageCopy, extent, segment));
                    return;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    // A bounded slice held in a local is one read (reported once, at the slice); a whole or
                    // open-ended view is followed to every use of the local.
                    if (extent.Bounded)
                        reads.Add(new SegmentRead(current, SegmentReadKind.Bounded, extent, segment));
                    else if (depth < 4)
                        FollowLocal(declarator.Symbol, current, extent, segment, types, reads, depth);
                    return;
                default:
                    if (extent.Bounded)
                        reads.Add(new SegmentRead(current, SegmentReadKind.Bounded, extent, segment));
                    return;
            }
        }
    }

    private static void FollowLocal(ILocalSymbol local, IOperation value, Extent extent, FirstSegment segment, FrameworkTypes types, List<SegmentRead> reads, int depth)
    {
        bool followed = local.IsRef ? !IsRebound(local, value) : true;
        if (!followed)
            return;
        foreach (var operation in OperationTrees.Of(OperationShape.Root(value)))
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && (local.IsRef || ConstantValues.SingleAssignedValue(reference) is not null))
                Walk(reference, extent, segment, types, reads, depth + 1);
        }
    }

    private static ILocalSymbol? DesignatedLocal(IPatternOperation pattern) => pattern switch
    {
        IDeclarationPatternOperation declaration => declaration.DeclaredSymbol as ILocalSymbol,
        IRecursivePatternOperation recursive => recursive.DeclaredSymbol as ILocalSymbol,
        _ => null,
    };

    /// <summary>Whether a ref local is made to refer elsewhere (<c>r = ref other</c>) after its declaration.</summary>
    private static bool IsRebound(ILocalSymbol local, IOperation value)
    {
        foreach (var operation in OperationTrees.Of(OperationShape.Root(value)))
        {
            if (operation is ISimpleAssignmentOperation { IsRef: true, Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local))
                return true;
        }
        return false;
    }

    /// <summary>
    /// A call that gives another view of the same memory: <c>MemoryMarshal.Cast</c> and <c>AsBytes</c> (elements of
    /// another size), <c>MemoryMarshal.GetReference</c> (a reference to the first element), <c>Unsafe.Add</c> and
    /// <c>AddByteOffset</c> (a reference further on). Elements is the size of the new view's element in the old
    /// one's (a fraction for a narrower element), Offset where the new view starts, in the old one's elements.
    /// </summary>
    private static (Fraction Elements, IOperation? Offset)? Reinterprets(IInvocationOperation call, IArgumentOperation argument, FrameworkTypes types)
    {
        var method = call.TargetMethod;
        if (call.Arguments.IsEmpty || call.Arguments[0] != argument)
            return null;
        if (types.IsDecoder(call) && !FrameworkTypes.IsUnsafe(method.ContainingType))
        {
            return method.Name switch
            {
                Names.Decoders.Cast when method.TypeArguments.Length == 2 => (Fraction.Of(ConstantValues.SizeOfPrimitive(method.TypeArguments[1]), ConstantValues.SizeOfPrimitive(method.TypeArguments[0])), null),
                Names.Decoders.AsBytes when method.TypeArguments.Length == 1 => (Fraction.Of(1, ConstantValues.SizeOfPrimitive(method.TypeArguments[0])), null),
                Names.Decoders.GetReference => (Fraction.One, null),
                _ => null,
            };
        }
        if (FrameworkTypes.IsUnsafe(method.ContainingType) && call.Arguments.Length == 2 && method.Parameters[0].RefKind != RefKind.None)
        {
            var element = (method.Parameters[0].Type as IPointerTypeSymbol)?.PointedAtType ?? method.Parameters[0].Type;
            return method.Name switch
            {
                Names.Decoders.Add => (Fraction.One, call.Arguments[1].Value),
                Names.Decoders.AddByteOffset => (Fraction.One, ByteOffsetIn(element, call.Arguments[1].Value)),
                _ => null,
            };
        }
        return null;
    }

    /// <summary>A byte offset is an element offset only where the element is a byte.</summary>
    private static IOperation? ByteOffsetIn(ITypeSymbol element, IOperation offset) =>
        ConstantValues.SizeOfPrimitive(element) == 1 ? offset : null;

    /// <summary>
    /// The elements a copy writes into <paramref name="destination"/> when its source is a UTF-8 literal
    /// (<c>"OK"u8.CopyTo(span)</c>); null for any other source, whose length is not known here.
    /// </summary>
    private static long? CopiedLength(IInvocationOperation copy, IArgumentOperation destination)
    {
        var source = copy.Instance ?? (copy.Arguments.Length == 2 && copy.Arguments[1] == destination ? copy.Arguments[0].Value : null);
        return OperationShape.Unwrap(source) is IUtf8StringOperation literal ? System.Text.Encoding.UTF8.GetByteCount(literal.Value) : null;
    }

    /// <summary>What a call does with the view it is given, or null when it only receives it.</summary>
    private static SegmentReadKind? ReadOf(IInvocationOperation call, IArgumentOperation argument, Extent extent, FrameworkTypes types)
    {
        string name = call.TargetMethod.Name;
        if (types.IsDecoder(call))
            return call.Arguments[0] == argument && IsDecoding(name) ? SegmentReadKind.Bounded : null;
        if (IsNumberParser(call.TargetMethod) && call.Arguments[0] == argument)
            return extent.Bounded ? SegmentReadKind.Bounded : SegmentReadKind.Parse;
        if (!types.IsSpanExtension(call) || call.Arguments[0] != argument)
            return null;
        if (extent.Bounded)
            return SegmentReadKind.Bounded;
        if (name.StartsWith(Names.Span.LastIndexOf, StringComparison.Ordinal))
            return SegmentReadKind.LastSearch;
        if (name.StartsWith(Names.Span.IndexOf, StringComparison.Ordinal) || name.StartsWith(Names.Span.Contains, StringComparison.Ordinal))
            return SegmentReadKind.Search;
        return name switch
        {
            Names.Span.StartsWith or Names.Span.SequenceEqual => SegmentReadKind.Comparison,
            Names.Span.EndsWith => SegmentReadKind.SuffixComparison,
            _ => null,
        };
    }

    /// <summary>
    /// Reads and writes of a fixed size (a write needs a writable span: a writer's, never a segment's); Try* decoders
    /// report a short span themselves, Cast and AsBytes reinterpret it whole.
    /// </summary>
    private static bool IsDecoding(string name) =>
        name is Names.Decoders.Read or Names.Decoders.AsRef or Names.Decoders.ReadUnaligned or Names.Decoders.As or Names.Decoders.Write or Names.Decoders.WriteUnaligned
        || ((name.StartsWith(Names.Decoders.ReadPrefix, StringComparison.Ordinal) || name.StartsWith(Names.Decoders.WritePrefix, StringComparison.Ordinal))
            && name.EndsWith(Names.Decoders.EndianSuffix, StringComparison.Ordinal));

    /// <summary>
    /// <c>Utf8Parser.TryParse</c>, and <c>Parse</c>/<c>TryParse</c> of the numeric types: given the digits the first
    /// segment holds of a longer number, they parse those and succeed.
    /// </summary>
    private static bool IsNumberParser(IMethodSymbol method) =>
        method.Name is Names.Parsers.Parse or Names.Parsers.TryParse
        && (method.ContainingType is { Name: Names.Parsers.Utf8ParserTypeName, ContainingNamespace.Name: Names.Parsers.Utf8ParserNamespace }
            || method.ContainingType.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double);

    /// <summary>The fewest elements a list pattern needs (<c>[0x89, (byte)'P', ..]</c>: 2), over the patterns given; null when none is one.</summary>
    private static long? ListPatternLength(IPatternOperation pattern) => ListPatternLength([pattern]);

    private static long? ListPatternLength(IEnumerable<IPatternOperation> patterns)
    {
        long? fewest = null;
        foreach (var pattern in patterns)
            AddListLengths(pattern, ref fewest);
        return fewest;
    }

    /// <summary>The list patterns that test the value itself: at the top, or under <c>not</c>, <c>and</c>, <c>or</c>.</summary>
    private static void AddListLengths(IPatternOperation pattern, ref long? fewest)
    {
        switch (pattern)
        {
            case IListPatternOperation list:
                long elements = list.Patterns.Count(element => element is not ISlicePatternOperation);
                fewest = fewest is null ? elements : Math.Min(fewest.Value, elements);
                break;
            case INegatedPatternOperation negated:
                AddListLengths(negated.Pattern, ref fewest);
                break;
            case IBinaryPatternOperation both:
                AddListLengths(both.LeftPattern, ref fewest);
                AddListLengths(both.RightPattern, ref fewest);
                break;
        }
    }

    /// <summary>The length of what a comparison compares with, when the code states it: a UTF-8 or string literal, an array or stackalloc with its elements listed.</summary>
    private static long? ComparedLength(IOperation? value)
    {
        for (int depth = 0; depth < 4 && value is not null; depth++)
        {
            value = OperationShape.UnwrapNumeric(value);
            switch (value)
            {
                case IUtf8StringOperation utf8:
                    return System.Text.Encoding.UTF8.GetByteCount(utf8.Value);
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } }:
                    return text.Length;
                case IArrayCreationOperation { Initializer: { } listed }:
                    return listed.ElementValues.Length;
                case IInvocationOperation { TargetMethod.Name: Names.Span.AsSpan, Arguments.Length: 1 } asSpan:
                    value = asSpan.Arguments[0].Value;
                    continue;
                case ILocalReferenceOperation local:
                    value = ConstantValues.SingleAssignedValue(local);
                    continue;
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>A destination whose size comes from the sequence's Length (<c>new byte[seq.Length]</c>, through one local).</summary>
    private static bool IsSizedForSequence(IOperation? destination, FirstSegment segment, FrameworkTypes types, int depth)
    {
        if (destination is null || depth > 2)
            return false;
        foreach (var operation in destination.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.Name: Names.ReadOnlySequence.Length, Instance: { } sequence } when types.IsSequence(sequence.Type) && FirstSegment.KeyOf(sequence) == segment.Key:
                    return true;
                case ILocalReferenceOperation local when IsSizedForSequence(ConstantValues.SingleAssignedValue(local), segment, types, depth + 1):
                    return true;
            }
        }
        return false;
    }

    /// <summary>A ratio of element sizes; unknown (null sizes) stays unknown.</summary>
    private readonly struct Fraction
    {
        private Fraction(long numerator, long denominator, bool known)
        {
            Numerator = numerator;
            Denominator = denominator;
            Known = known;
        }

        public static Fraction One => new(1, 1, true);

        public long Numerator { get; }
        public long Denominator { get; }
        public bool Known { get; }

        public static Fraction Of(int? numerator, int? denominator) =>
            numerator is > 0 && denominator is > 0 ? new(numerator.Value, denominator.Value, true) : new(1, 1, false);

        public Fraction Times(Fraction other) => new(Numerator * other.Numerator, Denominator * other.Denominator, Known && other.Known);

        /// <summary>Elements of this size, counted in the elements they are made of (rounded up: a part of one is read).</summary>
        public long Of(long count) => (count * Numerator + Denominator - 1) / Denominator;
    }

    /// <summary>
    /// Where the reads of a chain land, in the segment's elements: <see cref="Need"/> is the end of the furthest
    /// element any step requires, <see cref="Start"/> where the current view begins; <see cref="Unit"/> is the size of
    /// the current view's element (after a cast) in the segment's.
    /// </summary>
    private readonly struct Extent
    {
        private Extent(long start, bool startKnown, long need, bool needKnown, bool bounded, ImmutableArray<IOperation> operands, Fraction unit)
        {
            StartAt = start;
            StartKnown = startKnown;
            Need = need;
            NeedKnown = needKnown;
            Bounded = bounded;
            Operands = operands;
            Unit = unit;
        }

        public static Extent Start => new(0, true, 0, true, false, ImmutableArray<IOperation>.Empty, Fraction.One);

        public long StartAt { get; }
        public bool StartKnown { get; }
        public long Need { get; }
        public bool NeedKnown { get; }

        /// <summary>True once a step fixed the length read (a slice with a length, an index, a decoder).</summary>
        public bool Bounded { get; }

        public ImmutableArray<IOperation> Operands { get; }

        public Fraction Unit { get; }

        public Extent Slice(IOperation? offset, IOperation? length)
        {
            var operands = Operands;
            if (offset is not null)
                operands = operands.Add(offset);
            if (length is not null)
                operands = operands.Add(length);
            bool offsetKnown = TryGetBound(offset, out long at);
            long start = StartAt + Unit.Of(at);
            bool startKnown = StartKnown && offsetKnown && Unit.Known;
            if (length is null)
                return Require(start, startKnown, operands, Bounded).At(start, startKnown);
            bool lengthKnown = TryGetBound(length, out long count);
            return Require(StartAt + Unit.Of(at + count), startKnown && lengthKnown, operands, bounded: true).At(start, startKnown);
        }

        public Extent Range(IOperation? from, IOperation? to)
        {
            var operands = Operands;
            long first = 0, last = 0;
            bool fromKnown = from is null || TryGetBound(from, out first);
            if (from is not null)
                operands = operands.Add(from);
            long start = StartAt + Unit.Of(first);
            bool startKnown = StartKnown && fromKnown && Unit.Known;
            if (to is null)
                return Require(start, startKnown, operands, Bounded).At(start, startKnown);
            operands = operands.Add(to);
            bool toKnown = TryGetBound(to, out last);
            return Require(StartAt + Unit.Of(last), StartKnown && toKnown && Unit.Known, operands, bounded: true).At(start, startKnown);
        }

        public Extent Element(IOperation index)
        {
            bool known = TryGetBound(index, out long at);
            return Require(StartAt + Unit.Of(at + 1), StartKnown && known && Unit.Known, Operands.Add(index), bounded: true);
        }

        /// <summary>A decoder reading <paramref name="size"/> of the view's elements (bytes, for the byte views decoders take).</summary>
        public Extent Decoded(long? size) => size is { } elements
            ? Require(StartAt + Unit.Of(elements), StartKnown && Unit.Known, Operands, bounded: true)
            : new Extent(StartAt, StartKnown, Need, false, true, Operands, Unit);

        /// <summary>A comparison of the view's first <paramref name="length"/> elements (not bounded: it never throws).</summary>
        public Extent Compared(long? length) => length is { } elements
            ? Require(StartAt + Unit.Of(elements), StartKnown && Unit.Known, Operands, Bounded)
            : new Extent(StartAt, StartKnown, Need, false, Bounded, Operands, Unit);

        /// <summary>Another view of the same memory, from <paramref name="offset"/> on, of elements of another size.</summary>
        public Extent Reinterpret(Fraction elements, IOperation? offset)
        {
            var operands = offset is null ? Operands : Operands.Add(offset);
            long at = 0;
            bool known = offset is null || TryGetBound(offset, out at);
            long start = StartAt + Unit.Of(at);
            var moved = new Extent(start, StartKnown && known && Unit.Known, Need, NeedKnown, Bounded, operands, Unit.Times(elements));
            return offset is null ? moved : moved.Require(start, moved.StartKnown, operands, Bounded);
        }

        private static bool TryGetBound(IOperation? operand, out long value)
        {
            long? bound = Bounds.Upper(operand);
            value = bound is { } known ? Math.Max(known, 0) : 0;
            return bound is not null;
        }

        private Extent Require(long end, bool endKnown, ImmutableArray<IOperation> operands, bool bounded) =>
            new(StartAt, StartKnown, Math.Max(Need, end), NeedKnown && endKnown, bounded, operands, Unit);

        private Extent At(long start, bool startKnown) => new(start, startKnown, Need, NeedKnown, Bounded, Operands, Unit);
    }
}
