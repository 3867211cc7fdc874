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
/// FOLIO003: a mapping from a [MapsPages] method must reach Unmap/Dispose on every path out of the method,
/// exception paths included, unless its ownership leaves the method. Asked of the shared mapping flow.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MappingLifetimeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MappingNeverUnmapped, Descriptors.MappingNotUnmappedOnPath, Descriptors.MappingNotUnmappedOnException);

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
        foreach (var sites in OwnedResources.SitesOf(context, mappings, exceptionPaths, exceptionLeaksReported: exceptionPaths))
        {
            foreach (var dropped in sites.Discarded)
                Report(context, Descriptors.MappingNeverUnmapped, dropped);

            foreach (var pair in sites.Tracked)
            {
                var flow = sites.FlowOf(pair.Key, context.CancellationToken);
                if (!flow.Leaks)
                    continue;
                int line = flow.LeakAt is null ? OwnedResources.EndLine(context.Root) : OwnedResources.LineOf(flow.LeakAt);
                foreach (var source in pair.Value)
                {
                    if (flow.LeaksByExceptionOnly)
                        Report(context, Descriptors.MappingNotUnmappedOnException, source, line);
                    else if (!flow.EverReleased)
                        Report(context, Descriptors.MappingNeverUnmapped, source);
                    else
                        Report(context, Descriptors.MappingNotUnmappedOnPath, source, line);
                }
            }
        }
    }

    private static void Report(RuleBlock context, DiagnosticDescriptor descriptor, IInvocationOperation call, params object[] more)
    {
        var arguments = new object[more.Length + 1];
        arguments[0] = call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name;
        more.CopyTo(arguments, 1);
        context.ReportDiagnostic(Diagnostic.Create(descriptor, call.Syntax.GetLocation(), arguments));
    }
}
