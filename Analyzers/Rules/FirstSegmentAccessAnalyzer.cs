using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Sequences;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
        // One callback per file, and no tree walk: each occurrence of "First" in the text is looked up as a token, and
        // only member accesses that bind to a sequence build operations. The framework's types are resolved at the
        // first such access, so a project that never names a segment view pays nothing.
        context.RegisterSemanticModelAction(Analyze);
    }

    // "First" also finds "FirstSpan"; a reader's raw views are "UnreadSpan" and "CurrentSpan".
    private static readonly string[] Words = ["First", "UnreadSpan", "CurrentSpan"];

    private static void Analyze(SemanticModelAnalysisContext context)
    {
        if (context.IsGeneratedCode)
            return;
        var tree = context.SemanticModel.SyntaxTree;
        string text = SourceTexts.Of(tree);
        var root = tree.GetRoot(context.CancellationToken);
        foreach (string word in Words)
        {
            for (int at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
            {
                var token = root.FindToken(at);
                if (token.SpanStart == at && token.ValueText is "First" or "FirstSpan" or "UnreadSpan" or "CurrentSpan"
                    && token.Parent is IdentifierNameSyntax { Parent: MemberAccessExpressionSyntax access } name && access.Name == name
                    && access.IsKind(SyntaxKind.SimpleMemberAccessExpression) && access.Parent is not InvocationExpressionSyntax)
                    Analyze(context, access);
            }
        }
    }

    private static void Analyze(SemanticModelAnalysisContext context, MemberAccessExpressionSyntax access)
    {
        var types = SequenceTypes.Of(context.SemanticModel.Compilation);
        // The symbol first: binding one member access is cheap, an operation tree is built for the whole body.
        if (context.SemanticModel.GetSymbolInfo(access, context.CancellationToken).Symbol is not IPropertySymbol { ContainingType: var type } || !types.IsSequence(type) && !types.IsReader(type)
            || context.SemanticModel.GetOperation(access, context.CancellationToken) is not IPropertyReferenceOperation property
            || FirstSegment.TryCreate(property, types) is not { } segment)
            return;

        var reads = new List<SegmentRead>();
        SegmentRead.Follow(segment, types, reads);
        if (reads.Count == 0 || GeneratedCode.IsMarked(context.SemanticModel.GetEnclosingSymbol(access.SpanStart, context.CancellationToken), context.SemanticModel.Compilation))
            return;
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
