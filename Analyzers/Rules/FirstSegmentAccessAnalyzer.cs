using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Sequences;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO010: an index, slice, decode, copy, comparison or search over <c>ReadOnlySequence&lt;T&gt;.FirstSpan</c> (or
/// <c>.First</c>) that the code has not established the first segment can satisfy. Needs nothing of Folios.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FirstSegmentAccessAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.FirstSegmentAccess);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Framework.ReadOnlySequence is null ? null : facts.Framework,
            FirstSegment.Views, static (block, types) =>
            {
                foreach (var property in block.Operations<IPropertyReferenceOperation>())
                {
                    if (FirstSegment.TryCreate(property, types) is { } segment)
                        Analyze(block, segment, types);
                }
            });
    }

    private static void Analyze(RuleBlock context, FirstSegment segment, FrameworkTypes types)
    {
        var reads = new List<SegmentRead>();
        SegmentRead.Follow(segment, types, reads);
        if (reads.Count == 0)
            return;
        bool emptySegments = FoliosOptions.Read(context.Options, segment.Source.Syntax.SyntaxTree).SequenceEmptySegments;
        // One missing check is one diagnostic: the reads of one view that need the same check are reported together,
        // at the first of them.
        var missing = new List<(SegmentRead Read, SegmentFacts Facts)>();
        foreach (var read in reads.OrderBy(read => read.Node.Syntax.SpanStart))
        {
            if (!SegmentGuards.Establishes(read, types, emptySegments, out var facts))
                missing.Add((read, facts));
        }
        foreach (var group in missing.GroupBy(entry => entry.Read.Kind))
        {
            var (first, facts) = group.First();
            var others = group.Skip(1).Select(entry => entry.Read.Node.Syntax.GetLocation()).ToList();
            // The message states what the whole group needs: the furthest any of its reads goes.
            long? need = group.All(entry => entry.Read.Need is not null) ? group.Max(entry => entry.Read.Need) : null;
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.FirstSegmentAccess, first.Node.Syntax.GetLocation(), others,
                first.Node.Syntax.ToString(), Problem(first, need, facts), Advice(first, need, facts) + Others(others)));
        }
    }

    /// <summary>What can go wrong with the read, said for the case at hand: an empty segment, a short one, a split match.</summary>
    private static string Problem(SegmentRead read, long? need, SegmentFacts facts)
    {
        var segment = read.Segment;
        string view = segment.Description, owner = segment.Sequence.Syntax.ToString();
        switch (read.Kind)
        {
            case SegmentReadKind.Bounded when need is 1:
                if (segment.OfReader)
                    return $"reads the first element of {view}, which is empty once the reader has consumed everything";
                return facts.SequenceBound >= 1
                    ? $"reads the first element of {view}, which can be empty although '{owner}' is not: a hand-built sequence may start with an empty segment"
                    : $"reads the first element of {view}, which is empty when '{owner}' is";
            case SegmentReadKind.Bounded when need is { } elements:
                return facts.SequenceBound >= elements
                    ? $"needs {Count(elements, segment)} of {view}; '{owner}' holds that many, but its first segment may hold fewer: a sequence splits anywhere"
                    : $"needs {Count(elements, segment)} of {view}, which may hold fewer: a sequence splits anywhere, and is empty until data arrives";
            case SegmentReadKind.Bounded:
                return $"reads {view} at an offset that nothing checks against the segment's length";
            case SegmentReadKind.FromEnd:
                return $"counts from the end of {view}, which is not the end of the data when it arrives split";
            case SegmentReadKind.MessageCopy:
                return $"copies only {view} into a buffer sized for the whole sequence";
            case SegmentReadKind.Comparison:
                return need is { } compared
                    ? $"compares {Count(compared, segment)} of {view}, which may hold fewer: data split across segments compares unequal"
                    : $"compares only {view}: data split across segments compares unequal";
            case SegmentReadKind.SuffixComparison:
                return $"compares the end of {view}, which is not the end of the data when it arrives split";
            case SegmentReadKind.Search:
                return $"searches only {view}: a miss there is not a miss in the data";
            case SegmentReadKind.LastSearch:
                return $"takes the last match in {view}, which may not be the last in the data";
            default:
                return $"parses a number from {view}: when the data arrives split, it parses the digits that segment holds and succeeds with a wrong value";
        }
    }

    private static string Advice(SegmentRead read, long? need, SegmentFacts facts)
    {
        var segment = read.Segment;
        string owner = segment.Sequence.Syntax.ToString();
        if (segment.OfReader)
        {
            return read.Kind switch
            {
                SegmentReadKind.Search or SegmentReadKind.LastSearch => $"Fall back to {owner}.TryReadTo or TryAdvanceTo.",
                SegmentReadKind.Comparison or SegmentReadKind.SuffixComparison => $"Use {owner}.IsNext.",
                SegmentReadKind.Parse => $"Copy the digits out first ({owner}.TryCopyTo) or delimit them within the span.",
                _ => $"Check the span's Length first, or read through the reader ({owner}.TryReadLittleEndian, TryCopyTo); Remaining counts every segment.",
            };
        }
        return read.Kind switch
        {
            SegmentReadKind.Bounded when need is 1 && facts.SequenceBound >= 1 => "Check the span's Length or IsEmpty, or set folios.sequence_empty_segments = false if the sequence comes from a pipe.",
            SegmentReadKind.Bounded when need is 1 => $"Check {owner}.IsEmpty (or the span's Length) first.",
            SegmentReadKind.FromEnd => $"Check {owner}.IsSingleSegment first, or slice the sequence.",
            SegmentReadKind.MessageCopy => $"Copy the sequence ({owner}.CopyTo).",
            SegmentReadKind.Comparison or SegmentReadKind.SuffixComparison => $"Check {owner}.IsSingleSegment or the span's Length first, or compare through a SequenceReader<T> (IsNext).",
            SegmentReadKind.Search => $"Search the sequence ({owner}.PositionOf, SequenceReader<T>.TryReadTo), or check {owner}.IsSingleSegment first.",
            SegmentReadKind.LastSearch => $"Check {owner}.IsSingleSegment first.",
            SegmentReadKind.Parse => $"Parse the span only when {owner}.IsSingleSegment or the digits end within it (IndexOf the terminator), else copy them out of the sequence first.",
            _ => $"Check {owner}.IsSingleSegment or the span's Length first, or read through the sequence ({owner}.Slice(offset, length).CopyTo, SequenceReader<T>.TryReadLittleEndian).",
        };
    }

    private static string Others(List<Location> others) => others.Count switch
    {
        0 => "",
        1 => $" The read on line {Line(others[0])} needs the same check.",
        _ => $" {others.Count} more reads need the same check (lines {string.Join(", ", others.Select(Line).Distinct())}).",
    };

    private static int Line(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>"4 bytes", "1 element": bytes where the sequence holds bytes.</summary>
    private static string Count(long count, FirstSegment segment)
    {
        bool bytes = segment.Source.Type is INamedTypeSymbol { TypeArguments.Length: 1 } view && view.TypeArguments[0].SpecialType == SpecialType.System_Byte;
        return count + (bytes ? (count == 1 ? " byte" : " bytes") : (count == 1 ? " element" : " elements"));
    }
}
