using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Folios.Analyzers.Pools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO011: an ArrayPool array or a MemoryPool owner used after it went back to the pool, returned twice, or returned
/// to another pool, on some path of the control-flow graph (exception paths included: the catch that returns what the
/// try returned already is the classic double return; a Rent that throws after the return, only with
/// <c>folios.pool_exception_paths = true</c>). Asked of the shared ownership engine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PooledBufferMisuseAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Set (to "true") when every path to the finding agrees that the buffer is back in the pool.</summary>
    public const string CertainProperty = "Certain";

    /// <summary>The name of the local that holds the pooled buffer.</summary>
    public const string BufferProperty = "Buffer";

    /// <summary>Which misuse it is (<see cref="OwnershipFlow.Misuse"/>), for the fix.</summary>
    public const string MisuseProperty = "Misuse";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.PooledBufferUsedAfterReturn, Descriptors.PooledBufferReturnedTwice, Descriptors.PooledViewOutlivesBuffer, Descriptors.PooledBufferReturnedToAnotherPool);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, PoolKinds.Of, PoolKinds.Rentals, static (block, pools) =>
        {
            Analyze(block, pools.Arrays);
            Analyze(block, pools.Owners);
        });
    }

    private static DiagnosticDescriptor DescriptorOf(OwnershipFlow.Misuse misuse) => misuse switch
    {
        OwnershipFlow.Misuse.ReleasedTwice => Descriptors.PooledBufferReturnedTwice,
        OwnershipFlow.Misuse.ViewOutlivesResource => Descriptors.PooledViewOutlivesBuffer,
        OwnershipFlow.Misuse.ReleasedToAnotherOwner => Descriptors.PooledBufferReturnedToAnotherPool,
        _ => Descriptors.PooledBufferUsedAfterReturn,
    };

    /// <summary>A view that outlives the buffer is named by itself; every other finding by the buffer.</summary>
    private static string SubjectOf(IOperation at, OwnershipFlow.Misuse misuse, ILocalSymbol buffer) =>
        at is ILocalReferenceOperation view && misuse == OwnershipFlow.Misuse.ViewOutlivesResource ? view.Local.Name : buffer.Name;

    private static void Analyze(RuleBlock context, ResourceKind kind)
    {
        bool? latentToo = null; // read when a latent finding asks
        foreach (var sites in OwnedResources.SitesOf(context, kind, exceptionPaths: true, exceptionLeaksReported: false))
        {
            foreach (var local in sites.Tracked.Keys)
            {
                // One mistake, one diagnostic: every later use of the same buffer (or view) after a return is the same
                // mistake, reported once at the first use, with the others as additional locations.
                var findings = sites.FlowOf(local, context.CancellationToken).Misuses
                    .Where(finding => !finding.Value.Latent || (latentToo ??= FoliosOptions.Read(context.Options, context.Root.Syntax.SyntaxTree).PoolExceptionPaths))
                    .Select(finding => (At: finding.Key, finding.Value.Kind, finding.Value.Certain, Subject: SubjectOf(finding.Key, finding.Value.Kind, local)))
                    .GroupBy(finding => finding.Kind is OwnershipFlow.Misuse.UsedAfterRelease or OwnershipFlow.Misuse.ViewOutlivesResource ? (finding.Kind, finding.Subject) : (finding.Kind, finding.At.Syntax.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                foreach (var group in findings)
                {
                    var ordered = group.OrderBy(finding => finding.At.Syntax.SpanStart).ToList();
                    var first = ordered[0];
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(BufferProperty, local.Name).Add(MisuseProperty, first.Kind.ToString());
                    if (ordered.All(finding => finding.Certain))
                        properties = properties.Add(CertainProperty, "true");
                    context.ReportDiagnostic(Diagnostic.Create(DescriptorOf(first.Kind), first.At.Syntax.GetLocation(),
                        ordered.Skip(1).Select(finding => finding.At.Syntax.GetLocation()), properties, first.Subject));
                }
            }
        }
    }
}
