using System.Collections.Immutable;
using Folios.Analyzers.Analysis;
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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = FoliosTypes.TryCreate(start.Compilation);
            if (types?.MapsPagesAttribute is null)
                return;
            start.RegisterOperationAction(body => AnalyzeBody(body, types), OperationKind.MethodBody, OperationKind.ConstructorBody);
        });
    }

    private static void AnalyzeBody(OperationAnalysisContext context, FoliosTypes types)
    {
        if (!MappingOwnership.WorthAGraph(context.Operation, types))
            return;
        AnalyzeGraph(context, context.GetControlFlowGraph(), types);
    }

    private static void AnalyzeGraph(OperationAnalysisContext context, ControlFlowGraph graph, FoliosTypes types)
    {
        var nested = Graphs.Nested(graph, context.CancellationToken).ToList();
        var captured = Graphs.CapturedLocals(nested);
        var mappings = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in Graphs.AllOperations(graph))
        {
            if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                && ConstantValues.Unwrap(assignment.Value) is IInvocationOperation call && MappingOwnership.IsMapsPages(call, types)
                && !captured.Contains(target.Local))
                mappings.Add(target.Local);
        }

        foreach (var local in mappings)
        {
            foreach (var finding in new UnmapFlow(graph, local, types).Run())
            {
                var descriptor = finding.Value.Kind switch
                {
                    UnmapFlow.Finding.UnmappedTwice => Descriptors.UnmappedTwice,
                    UnmapFlow.Finding.UsedAfterUnmap => Descriptors.UsedAfterUnmap,
                    UnmapFlow.Finding.SpanOutlivesMapping => Descriptors.SpanOutlivesMapping,
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

        foreach (var inner in nested)
            AnalyzeGraph(context, inner, types);
    }
}
