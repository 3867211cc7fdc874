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
        foreach (var read in reads)
        {
            if (!SegmentGuards.Establishes(read, types))
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.FirstSegmentAccess, read.Node.Syntax.GetLocation(),
                    read.Node.Syntax.ToString(), segment.Description, Advice(read.Kind, segment)));
        }
    }

    private static string Advice(SegmentReadKind kind, FirstSegment segment)
    {
        string owner = segment.Sequence.Syntax.ToString();
        if (segment.OfReader)
        {
            return kind switch
            {
                SegmentReadKind.Search or SegmentReadKind.LastSearch => $"a miss in one segment is not a miss in the data. Fall back to {owner}.TryReadTo or TryAdvanceTo.",
                SegmentReadKind.Comparison or SegmentReadKind.SuffixComparison => $"data split across segments compares unequal. Use {owner}.IsNext.",
                _ => $"check the span's Length first, or read through the reader ({owner}.TryReadLittleEndian, TryCopyTo); Remaining counts every segment.",
            };
        }
        return kind switch
        {
            SegmentReadKind.FromEnd => $"the end of the first segment is not the end of the data. Check {owner}.IsSingleSegment first, or slice the sequence.",
            SegmentReadKind.MessageCopy => $"it copies one segment into a buffer sized for the whole sequence. Copy the sequence ({owner}.CopyTo).",
            SegmentReadKind.Comparison or SegmentReadKind.SuffixComparison => $"data split across segments compares unequal. Check {owner}.IsSingleSegment first, or compare through a SequenceReader<T> (IsNext).",
            SegmentReadKind.Search => $"a miss in the first segment is not a miss in the sequence. Search the sequence ({owner}.PositionOf, SequenceReader<T>.TryReadTo), or check {owner}.IsSingleSegment first.",
            SegmentReadKind.LastSearch => $"the last match in the first segment is not the last in the sequence. Check {owner}.IsSingleSegment first.",
            _ => $"check {owner}.IsSingleSegment or the span's Length first, or read through the sequence ({owner}.Slice(offset, length).CopyTo, SequenceReader<T>.TryReadLittleEndian).",
        };
    }
}
