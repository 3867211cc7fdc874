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
/// try returned already is the classic double return). Asked of the shared ownership engine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PooledBufferMisuseAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Set (to "true") when every path to the finding agrees that the buffer is back in the pool.</summary>
    public const string CertainProperty = "Certain";

    /// <summary>The name of the local that holds the pooled buffer.</summary>
    public const string BufferProperty = "Buffer";

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

    private static void Analyze(RuleBlock context, ResourceKind kind)
    {
        foreach (var sites in OwnedResources.SitesOf(context, kind, exceptionPaths: true))
        {
            foreach (var local in sites.Tracked.Keys)
            {
                foreach (var finding in sites.FlowOf(local, context.CancellationToken).Misuses)
                {
                    var descriptor = finding.Value.Kind switch
                    {
                        OwnershipFlow.Misuse.ReleasedTwice => Descriptors.PooledBufferReturnedTwice,
                        OwnershipFlow.Misuse.ViewOutlivesResource => Descriptors.PooledViewOutlivesBuffer,
                        OwnershipFlow.Misuse.ReleasedToAnotherOwner => Descriptors.PooledBufferReturnedToAnotherPool,
                        _ => Descriptors.PooledBufferUsedAfterReturn,
                    };
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(BufferProperty, local.Name);
                    if (finding.Value.Certain)
                        properties = properties.Add(CertainProperty, "true");
                    // A view that outlives the buffer is named by itself; every other finding by the buffer.
                    string subject = finding.Key is ILocalReferenceOperation view && finding.Value.Kind == OwnershipFlow.Misuse.ViewOutlivesResource ? view.Local.Name : local.Name;
                    context.ReportDiagnostic(Diagnostic.Create(descriptor, finding.Key.Syntax.GetLocation(), properties, subject));
                }
            }
        }
    }
}
