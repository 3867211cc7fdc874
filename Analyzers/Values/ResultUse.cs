using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>What a call's result is used for: thrown away, or deciding a branch; and whether its failure is caught.</summary>
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
    /// The result decides a branch on failure: some <c>if</c>, <c>?:</c> or loop takes a way where the call returned
    /// false, however the test is written (<c>!Try(...)</c>, <c>Try(...) is false</c>, <c>== false</c>, in a
    /// condition with others) and wherever the result is tested (directly, or through a bool local assigned once from
    /// it: <c>bool got = Try(...); if (!got) ...</c>). <see cref="Conditions"/> reads each test.
    /// </summary>
    public static bool IsTestedAsCondition(IInvocationOperation call) => FailureWays(call).Count > 0;

    /// <summary>
    /// Reads of the call's out local on the ways taken when the call returned false (<paramref name="failureWays"/>,
    /// from <see cref="FailureWays"/>): <c>if (!Try(out f)) { f... }</c>, <c>if (Try(out f)) { } else { f... }</c>,
    /// <c>if (Try(out f) is false) { f... }</c>. A way that assigns the local again is left alone.
    /// </summary>
    public static IEnumerable<ILocalReferenceOperation> UsesOnFailurePath(IInvocationOperation call, List<IOperation?> failureWays)
    {
        if (call.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Out)?.Value is not { } outValue
            || (outValue is IDeclarationExpressionOperation declaration ? declaration.Expression : outValue) is not ILocalReferenceOperation { Local: var folio })
            return [];
        var uses = new List<ILocalReferenceOperation>();
        foreach (var failure in failureWays)
        {
            if (failure is null)
                continue;
            var references = failure.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Where(r => SymbolEqualityComparer.Default.Equals(r.Local, folio)).ToList();
            bool reassigned = references.Any(r => r.Parent is IAssignmentOperation assignment && assignment.Target == r
                || r.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref });
            if (!reassigned)
                uses.AddRange(references);
        }
        return uses;
    }

    /// <summary>
    /// The call sits in a <c>try</c> (of the same function: a lambda runs later) with a <c>catch</c> of
    /// <paramref name="exception"/> or a base of it whose handler does not end by throwing: the failure of the call is
    /// handled there, which makes the catch its fallback.
    /// </summary>
    public static bool FailureIsCaught(IInvocationOperation call, INamedTypeSymbol? exception)
    {
        if (exception is null)
            return false;
        for (IOperation node = call; node.Parent is { } parent; node = parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return false;
            if (parent is ITryOperation attempt && node == attempt.Body && attempt.Catches.Any(clause => Catches(clause, exception) && !EndsByThrowing(clause.Handler)))
                return true;
        }
        return false;
    }

    private static bool Catches(ICatchClauseOperation clause, INamedTypeSymbol exception)
    {
        for (ITypeSymbol? type = exception; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, clause.ExceptionType))
                return true;
        }
        return false;
    }

    private static bool EndsByThrowing(IBlockOperation handler) => handler.Operations.LastOrDefault() switch
    {
        IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation inner => EndsByThrowing(inner),
        _ => false,
    };

    /// <summary>
    /// The ways taken where the call returned false: the branch of each <c>if</c> or <c>?:</c>, or the body of each
    /// loop, whose condition established that (null for an <c>if</c> with no <c>else</c> whose other side failed, or a
    /// loop that ends there).
    /// </summary>
    public static List<IOperation?> FailureWays(IInvocationOperation call)
    {
        var ways = new List<IOperation?>();
        foreach (var use in Uses(call))
        {
            if (DecidedBy(use) is not { } decided)
                continue;
            foreach (bool holds in new[] { true, false })
            {
                if (Conditions.Establish(decided.Condition, holds).Any(fact => fact.Subject.Operation == call && fact.IsBoolean(out bool returned) && !returned))
                    ways.Add(holds ? decided.WhenTrue : decided.WhenFalse);
            }
        }
        return ways;
    }

    /// <summary>The call's result where it is used: the call itself, and each read of a bool local it initialises.</summary>
    private static IEnumerable<IOperation> Uses(IInvocationOperation call)
    {
        var result = OperationShape.Outermost(call);
        yield return result;
        if (result.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { Type.SpecialType: SpecialType.System_Boolean } local } })
            yield break;
        foreach (var operation in OperationTrees.Of(OperationShape.Root(call)))
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !OperationShape.IsAssignedTo(reference))
                yield return reference;
        }
    }

    /// <summary>
    /// The <c>if</c>, <c>?:</c> or loop whose condition the value is part of (through <c>!</c>, <c>is</c>, <c>==</c>,
    /// <c>!=</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses), with the ways taken where it holds and where it fails.
    /// </summary>
    private static (IOperation Condition, IOperation? WhenTrue, IOperation? WhenFalse)? DecidedBy(IOperation value)
    {
        var current = value;
        for (int depth = 0; depth < 16 && current.Parent is { } parent; depth++, current = parent)
        {
            switch (parent)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } or IIsPatternOperation or IParenthesizedOperation or IConversionOperation:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr }:
                    continue;
                case IConditionalOperation conditional when conditional.Condition == current:
                    return (current, conditional.WhenTrue, conditional.WhenFalse);
                case IWhileLoopOperation { Condition: { } condition } loop when condition == current:
                    return loop.ConditionIsUntil ? (current, null, loop.Body) : (current, loop.Body, null);
                case IForLoopOperation { Condition: { } condition } loop when condition == current:
                    return (current, loop.Body, null);
                default:
                    return null;
            }
        }
        return null;
    }
}
