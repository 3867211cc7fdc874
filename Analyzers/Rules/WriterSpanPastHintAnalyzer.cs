using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pipelines;
using Folios.Analyzers.Sequences;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO016: a span or memory from <c>IBufferWriter&lt;T&gt;.GetSpan</c>/<c>GetMemory</c> written past the size it
/// asked for, or advanced past it, where nothing checked its Length; or used after <c>Advance</c> on its writer. The
/// writes are found as FOLIO010 finds reads of a segment (the same walk, the same guards, the same value sizes); the
/// use after Advance is asked of the ownership engine, where a writer's span is a kind of resource.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WriterSpanPastHintAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The hint the fix passes: the most any write or advance of that span needs.</summary>
    public const string SizeProperty = "Size";

    /// <summary>Where the GetSpan or GetMemory call that asked too little starts, for the fix.</summary>
    public const string AskedAtProperty = "AskedAt";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.WriterSpanWrittenPastHint, Descriptors.WriterAdvancedPastHint, Descriptors.WriterSpanUsedAfterAdvance);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, PipelineKinds.WritersOf, PipelineKinds.WriterSpans, static (block, writers) =>
        {
            var acquisitions = new List<IInvocationOperation>();
            var advances = new List<IInvocationOperation>();
            foreach (var call in block.Operations<IInvocationOperation>())
            {
                if (writers.Acquires(call))
                    acquisitions.Add(call);
                else if (writers.IsAdvance(call))
                    advances.Add(call);
            }
            if (acquisitions.Count == 0)
                return;
            PastTheHint(block, writers.Types, acquisitions, advances);
            UsedAfterAdvance(block, writers);
        });
    }

    /// <summary>
    /// One diagnostic per span asked for: at its first write past the hint (the others as additional locations), or,
    /// where no write was, at its first Advance past the hint (a TryWrite whose result was ignored, a count added up wrong).
    /// </summary>
    private static void PastTheHint(RuleBlock block, FrameworkTypes types, List<IInvocationOperation> acquisitions, List<IInvocationOperation> advances)
    {
        foreach (var acquisition in acquisitions)
        {
            if (FirstSegment.OfWriter(acquisition, types) is not { Hint: { } hint } span)
                continue;
            var reads = new List<SegmentRead>();
            SegmentRead.Follow(span, types, reads);
            var writes = reads
                .Where(read => read.Kind == SegmentReadKind.Bounded && read.Need > hint && !SegmentGuards.Establishes(read, types))
                .OrderBy(read => read.Node.Syntax.SpanStart)
                .ToList();
            var advancedPast = new List<(IInvocationOperation Call, long Count)>();
            foreach (var advance in advances)
            {
                if (advance.Arguments.Length == 1 && ConstantValues.TryGetInt64(advance.Arguments[0].Value, out long count) && count > hint
                    && LastAcquisitionBefore(advance, acquisitions) == acquisition && !SegmentGuards.Holds(advance, span, count, types))
                    advancedPast.Add((advance, count));
            }
            long size = Math.Max(writes.Count > 0 ? writes.Max(write => write.Need!.Value) : 0, advancedPast.Count > 0 ? advancedPast.Max(advance => advance.Count) : 0);
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(SizeProperty, size.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add(AskedAtProperty, acquisition.Syntax.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (writes.Count > 0)
            {
                var first = writes[0];
                block.ReportDiagnostic(Diagnostic.Create(Descriptors.WriterSpanWrittenPastHint, first.Node.Syntax.GetLocation(),
                    writes.Skip(1).Select(write => write.Node.Syntax.GetLocation()), properties,
                    first.Node.Syntax.ToString(), first.Need, acquisition.Syntax.ToString(), hint));
            }
            else if (advancedPast.Count > 0)
            {
                var first = advancedPast[0];
                block.ReportDiagnostic(Diagnostic.Create(Descriptors.WriterAdvancedPastHint, first.Call.Syntax.GetLocation(),
                    advancedPast.Skip(1).Select(advance => advance.Call.Syntax.GetLocation()), properties,
                    first.Call.Syntax.ToString(), hint, acquisition.Syntax.ToString(), size));
            }
        }
    }

    /// <summary>The span an Advance gives back: the last one asked of the same writer before it, in the same function.</summary>
    private static IInvocationOperation? LastAcquisitionBefore(IInvocationOperation advance, List<IInvocationOperation> acquisitions)
    {
        if (advance.Instance is not { } writer)
            return null;
        string key = OperationShape.TextKey(writer);
        var function = OperationShape.EnclosingFunction(advance);
        IInvocationOperation? last = null;
        foreach (var acquisition in acquisitions)
        {
            if (acquisition.Syntax.SpanStart >= advance.Syntax.SpanStart)
                break;
            if (acquisition.Instance is { } from && OperationShape.TextKey(from) == key && OperationShape.EnclosingFunction(acquisition) == function)
                last = acquisition;
        }
        return last;
    }

    /// <summary>One diagnostic per span: at its first use after the Advance, with the others as additional locations.</summary>
    private static void UsedAfterAdvance(RuleBlock block, WriterSpanKind writers)
    {
        foreach (var sites in OwnedResources.SitesOf(block, writers, exceptionPaths: false, exceptionLeaksReported: false))
        {
            foreach (var pair in sites.Tracked)
            {
                var uses = sites.FlowOf(pair.Key, block.CancellationToken).Misuses
                    .Where(finding => finding.Value.Kind is OwnershipFlow.Misuse.UsedAfterRelease or OwnershipFlow.Misuse.ViewOutlivesResource)
                    .OrderBy(finding => finding.Key.Syntax.SpanStart)
                    .ToList();
                if (uses.Count == 0)
                    continue;
                var first = uses[0].Key;
                string writer = pair.Value[0].Instance?.Syntax.ToString() ?? pair.Value[0].TargetMethod.ContainingType.Name;
                block.ReportDiagnostic(Diagnostic.Create(Descriptors.WriterSpanUsedAfterAdvance, first.Syntax.GetLocation(),
                    uses.Skip(1).Select(finding => finding.Key.Syntax.GetLocation()), first.Syntax.ToString(), writer));
            }
        }
    }
}
