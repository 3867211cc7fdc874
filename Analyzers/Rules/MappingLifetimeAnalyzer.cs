using System.Collections.Immutable;
using Folios.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO003: a mapping from a [MapsPages] method must reach Unmap/Dispose on every path out of the method,
/// exception paths included, unless its ownership leaves the method. Decided on the control-flow graph.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MappingLifetimeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MappingNeverUnmapped, Descriptors.MappingNotUnmappedOnPath, Descriptors.MappingNotUnmappedOnException);

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
        var graph = context.GetControlFlowGraph();
        AnalyzeGraph(context, graph, types);
    }

    private static void AnalyzeGraph(OperationAnalysisContext context, ControlFlowGraph graph, FoliosTypes types)
    {
        var nested = Graphs.Nested(graph, context.CancellationToken).ToList();
        var capturedLocals = Graphs.CapturedLocals(nested);

        var tracked = new Dictionary<ILocalSymbol, IInvocationOperation>(SymbolEqualityComparer.Default);
        foreach (var operation in Graphs.AllOperations(graph))
        {
            if (operation is not IInvocationOperation call || !MappingOwnership.IsMapsPages(call, types))
                continue;
            var parent = call.Parent;
            while (parent is IConversionOperation { IsImplicit: true })
                parent = parent.Parent;
            if (parent is IExpressionStatementOperation)
                Report(context, Descriptors.MappingNeverUnmapped, call);
            else if (parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } && !capturedLocals.Contains(local.Local) && !tracked.ContainsKey(local.Local))
                tracked.Add(local.Local, call);
        }

        foreach (var pair in tracked)
        {
            var (leaks, at, byException, everReleased) = new MappingFlow(graph, pair.Key, types).FindLeak();
            if (!leaks)
                continue;
            int line = at is null ? EndLine(graph.OriginalOperation) : LineOf(at);
            if (byException)
                Report(context, Descriptors.MappingNotUnmappedOnException, pair.Value, line);
            else if (!everReleased)
                Report(context, Descriptors.MappingNeverUnmapped, pair.Value);
            else
                Report(context, Descriptors.MappingNotUnmappedOnPath, pair.Value, line);
        }

        foreach (var inner in nested)
            AnalyzeGraph(context, inner, types);
    }

    private static int EndLine(IOperation body) => body.Syntax.GetLocation().GetLineSpan().EndLinePosition.Line + 1;

    private static int LineOf(IOperation operation) => operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IInvocationOperation call, params object[] more)
    {
        var arguments = new object[more.Length + 1];
        arguments[0] = call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name;
        more.CopyTo(arguments, 1);
        context.ReportDiagnostic(Diagnostic.Create(descriptor, call.Syntax.GetLocation(), arguments));
    }
}
