using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO007: <c>PageAllocator.TryAllocate</c> whose result is thrown away, its out folio used where it returned
/// false, and a TryAllocate with NoFail at a guaranteed order whose result is tested as if it could fail.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedAllocationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AllocationResultIgnored, Descriptors.FolioUsedOnFailurePath, Descriptors.FailureCheckThatCannotFail);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { PageAllocator: not null } types && types.Flag(Names.AllocFlags.NoFail) is not null ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
            {
                foreach (var call in block.Operations<IInvocationOperation>())
                    Analyze(block, call, types);
            });
    }

    private static void Analyze(RuleBlock context, IInvocationOperation call, FoliosTypes types)
    {
        if (call.TargetMethod.Name != Names.PageAllocator.TryAllocate || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.PageAllocator))
            return;
        if (ResultUse.IsDiscarded(call))
        {
            string folio = call.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Out)?.Value switch
            {
                IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => declared.Local.Name,
                null or IDiscardOperation => "the folio",
                var target => target.Syntax.ToString(),
            };
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AllocationResultIgnored, call.Syntax.GetLocation(), folio));
            return;
        }
        var failureWays = ResultUse.FailureWays(call);
        if (failureWays.Count == 0)
            return;
        foreach (var use in ResultUse.UsesOnFailurePath(call, failureWays))
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.FolioUsedOnFailurePath, use.Syntax.GetLocation(), use.Local.Name));
        var options = FoliosOptions.Read(context.Options, call.Syntax.SyntaxTree);
        var request = AllocationRequest.Read(call, types, options);
        if (request.AlwaysHas(types.Flag(Names.AllocFlags.NoFail)!.Value) && request.Order is { } order && order <= options.MaxNoFailOrder)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.FailureCheckThatCannotFail, call.Syntax.GetLocation(), order, options.MaxNoFailOrder));
    }
}
