using System.Collections.Immutable;
using Folios.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO007: <c>PageAllocator.TryAllocate</c> whose result is thrown away, and a TryAllocate with NoFail at a
/// guaranteed order whose result is tested as if it could fail.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedAllocationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AllocationResultIgnored, Descriptors.FailureCheckThatCannotFail);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = FoliosTypes.TryCreate(start.Compilation);
            if (types?.PageAllocator is null || types.AllocFlags is null || ConstantValues.EnumMemberValue(types.AllocFlags, "NoFail") is not { } noFail)
                return;
            start.RegisterOperationAction(operation => Analyze(operation, types, noFail), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, FoliosTypes types, long noFail)
    {
        var call = (IInvocationOperation)context.Operation;
        if (call.TargetMethod.Name != "TryAllocate" || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.PageAllocator))
            return;
        if (IsDiscarded(call))
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
        if (!IsTestedAsCondition(call))
            return;
        var options = FoliosOptions.Read(context.Options, call.Syntax.SyntaxTree);
        var order = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
        var flags = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, types.AllocFlags));
        if (order is not null && flags is not null
            && ConstantValues.TryGetInt64(flags.Value, out long value) && (value & noFail) != 0
            && Orders.TryGetOrder(order.Value, types, options, out int folded) && folded <= options.MaxNoFailOrder)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.FailureCheckThatCannotFail, call.Syntax.GetLocation(), folded, options.MaxNoFailOrder));
    }

    /// <summary>The call is a statement of its own, or assigned to a discard.</summary>
    private static bool IsDiscarded(IInvocationOperation call) => call.Parent switch
    {
        IExpressionStatementOperation => true,
        ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } => true,
        _ => false,
    };

    /// <summary>The result decides a branch: <c>if (Try...)</c>, <c>if (!Try...)</c>, a conditional expression or a loop.</summary>
    private static bool IsTestedAsCondition(IInvocationOperation call)
    {
        IOperation tested = call;
        while (tested.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            tested = not;
        return tested.Parent switch
        {
            IConditionalOperation conditional => conditional.Condition == tested,
            IWhileLoopOperation loop => loop.Condition == tested,
            _ => false,
        };
    }
}
