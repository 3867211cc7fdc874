using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>What a call's result is used for: thrown away, or deciding a branch.</summary>
internal static class ResultUse
{
    /// <summary>The call is a statement of its own, or assigned to a discard.</summary>
    public static bool IsDiscarded(IInvocationOperation call) => call.Parent switch
    {
        IExpressionStatementOperation => true,
        ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } => true,
        _ => false,
    };

    /// <summary>
    /// Reads of the call's out local in the branch taken when the call returned false (<c>if (!Try(out f)) { f... }</c>,
    /// <c>if (Try(out f)) { } else { f... }</c>). A branch that assigns the local again is left alone.
    /// </summary>
    public static IEnumerable<ILocalReferenceOperation> UsesOnFailurePath(IInvocationOperation call)
    {
        if (call.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Out)?.Value is not { } outValue
            || (outValue is IDeclarationExpressionOperation declaration ? declaration.Expression : outValue) is not ILocalReferenceOperation { Local: var folio })
            return [];
        IOperation tested = call;
        bool negated = false;
        while (tested.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            tested = not;
            negated = !negated;
        }
        if (tested.Parent is not IConditionalOperation conditional || (negated ? conditional.WhenTrue : conditional.WhenFalse) is not { } failure)
            return [];
        var references = failure.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Where(r => SymbolEqualityComparer.Default.Equals(r.Local, folio)).ToList();
        bool reassigned = references.Any(r => r.Parent is IAssignmentOperation assignment && assignment.Target == r
            || r.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref });
        return reassigned ? [] : references;
    }

    /// <summary>The result decides a branch: <c>if (Try...)</c>, <c>if (!Try...)</c>, a conditional expression or a loop.</summary>
    public static bool IsTestedAsCondition(IInvocationOperation call)
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
