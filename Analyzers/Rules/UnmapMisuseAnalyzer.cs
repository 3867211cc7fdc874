using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO004: a mapping unmapped twice, its span used after the unmap, or its extent buffer freed while it is still
/// mapped, on some path of the control-flow graph (exception paths included).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmapMisuseAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Set (to "true") when every path agrees (the mapping is unmapped, or still mapped, whichever the finding needs).</summary>
    public const string CertainProperty = "Certain";

    /// <summary>The name of the mapping local.</summary>
    public const string MappingProperty = "Mapping";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnmappedTwice, Descriptors.UsedAfterUnmap, Descriptors.SpanOutlivesMapping, Descriptors.FreedWhileMapped);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { MapsPagesAttribute: not null } types ? new MappingKind(types) : null,
            FoliosEntryPoints.Api, AnalyzeBody);
    }

    private static void AnalyzeBody(RuleBlock context, MappingKind mappings)
    {
        bool exceptionPaths = FoliosOptions.Read(context.Options, context.Root.Syntax.SyntaxTree).MappingExceptionPaths;
        foreach (var sites in OwnedResources.SitesOf(context, mappings, exceptionPaths, exceptionLeaksReported: false))
        {
            foreach (var local in sites.Tracked.Keys)
            {
                foreach (var finding in sites.FlowOf(local, context.CancellationToken).Misuses)
                {
                    var descriptor = finding.Value.Kind switch
                    {
                        OwnershipFlow.Misuse.ReleasedTwice => Descriptors.UnmappedTwice,
                        OwnershipFlow.Misuse.UsedAfterRelease => Descriptors.UsedAfterUnmap,
                        OwnershipFlow.Misuse.ViewOutlivesResource => Descriptors.SpanOutlivesMapping,
                        _ => Descriptors.FreedWhileMapped,
                    };
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(MappingProperty, local.Name);
                    if (finding.Value.Certain)
                        properties = properties.Add(CertainProperty, "true");
                    // A span that outlives the mapping is named by itself; every other finding by the mapping.
                    string subject = finding.Key is ILocalReferenceOperation span ? span.Local.Name : local.Name;
                    context.ReportDiagnostic(Diagnostic.Create(descriptor, finding.Key.Syntax.GetLocation(), properties, subject));
                }
            }
        }
    }
}
