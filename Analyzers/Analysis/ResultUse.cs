using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Analysis;

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
