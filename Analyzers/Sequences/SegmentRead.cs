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
}

/// <summary>
/// An access to a first segment, found by following its view through <c>.Span</c>, slices, ranges and locals to
/// the operation that reads. One chain gives one read: the outermost operation, which is reported and rewritten.
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

    /// <summary>For a bounded read, the bytes the segment must hold when that is a constant.</summary>
    public long? Need { get; }

    /// <summary>The offsets and lengths that decide where the read lands.</summary>
    public ImmutableArray<IOperation> Operands { get; }

    public FirstSegment Segment { get; }

    public static void Follow(FirstSegment segment, FrameworkTypes types, List<SegmentRead> reads) =>
        Walk(segment.Source, new Extent(0, true, 0, true, false, ImmutableArray<IOperation>.Empty), segment, types, reads, 0);

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
                case IArgumentOperation argument when argument.Parent is IInvocationOperation { TargetMethod.Name: Names.Span.CopyTo } copy && segment.Hint is not null
                    && CopiedLength(copy, argument) is { } length:
                    // A writer's span as the destination of a copy whose source has a known length ("\r\n"u8.CopyTo(span)).
                    reads.Add(new SegmentRead(copy, SegmentReadKind.Bounded, extent.Decoded(length), segment));
                    return;
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call:
                    if (ReadOf(call, argument, extent, types) is { } kind)
                        reads.Add(new SegmentRead(call, kind, kind == SegmentReadKind.Bounded ? extent.Decoded(ValueSizes.Decoded(call.TargetMethod)) : extent, segment));
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
        foreach (var operation in OperationTrees.Of(OperationShape.Root(value)))
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && ConstantValues.SingleAssignedValue(reference) is not null)
                Walk(reference, extent, segment, types, reads, depth + 1);
        }
    }

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
        name is Names.Decoders.Read or Names.Decoders.AsRef or Names.Decoders.ReadUnaligned or Names.Decoders.Write or Names.Decoders.WriteUnaligned
        || ((name.StartsWith(Names.Decoders.ReadPrefix, StringComparison.Ordinal) || name.StartsWith(Names.Decoders.WritePrefix, StringComparison.Ordinal))
            && name.EndsWith(Names.Decoders.EndianSuffix, StringComparison.Ordinal));

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

    /// <summary>
    /// Where the reads of a chain land: <see cref="Need"/> is the end of the furthest byte any step requires,
    /// <see cref="Start"/> where the current view begins, both from the segment's start.
    /// </summary>
    private readonly struct Extent
    {
        public Extent(long start, bool startKnown, long need, bool needKnown, bool bounded, ImmutableArray<IOperation> operands)
        {
            Start = start;
            StartKnown = startKnown;
            Need = need;
            NeedKnown = needKnown;
            Bounded = bounded;
            Operands = operands;
        }

        public long Start { get; }
        public bool StartKnown { get; }
        public long Need { get; }
        public bool NeedKnown { get; }

        /// <summary>True once a step fixed the length read (a slice with a length, an index, a decoder).</summary>
        public bool Bounded { get; }

        public ImmutableArray<IOperation> Operands { get; }

        public Extent Slice(IOperation? offset, IOperation? length)
        {
            var operands = Operands;
            if (offset is not null)
                operands = operands.Add(offset);
            if (length is not null)
                operands = operands.Add(length);
            bool offsetKnown = ConstantValues.TryGetInt64(offset, out long at);
            long start = Start + at;
            bool startKnown = StartKnown && offsetKnown;
            if (length is null)
                return Require(start, startKnown, operands, Bounded).At(start, startKnown);
            bool lengthKnown = ConstantValues.TryGetInt64(length, out long count);
            return Require(start + count, startKnown && lengthKnown, operands, bounded: true).At(start, startKnown);
        }

        public Extent Range(IOperation? from, IOperation? to)
        {
            var operands = Operands;
            long first = 0, last = 0;
            bool fromKnown = from is null || ConstantValues.TryGetInt64(from, out first);
            if (from is not null)
                operands = operands.Add(from);
            if (to is null)
                return Require(Start + first, StartKnown && fromKnown, operands, Bounded).At(Start + first, StartKnown && fromKnown);
            operands = operands.Add(to);
            bool toKnown = ConstantValues.TryGetInt64(to, out last);
            return Require(Start + last, StartKnown && toKnown, operands, bounded: true).At(Start + first, StartKnown && fromKnown);
        }

        public Extent Element(IOperation index)
        {
            bool known = ConstantValues.TryGetInt64(index, out long at);
            return Require(Start + at + 1, StartKnown && known, Operands.Add(index), bounded: true);
        }

        public Extent Decoded(long? size) => size is { } bytes
            ? Require(Start + bytes, StartKnown, Operands, bounded: true)
            : new Extent(Start, StartKnown, Need, false, true, Operands);

        private Extent Require(long end, bool endKnown, ImmutableArray<IOperation> operands, bool bounded) =>
            new(Start, StartKnown, Math.Max(Need, end), NeedKnown && endKnown, bounded, operands);

        private Extent At(long start, bool startKnown) => new(start, startKnown, Need, NeedKnown, Bounded, Operands);
    }
}
