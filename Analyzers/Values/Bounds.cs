using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>
/// The greatest value an integer expression can have where it is evaluated: a constant, or what the conditions on the
/// way in say of a local or parameter (<c>i</c> inside <c>for (i = 0; i &lt; 4; i++)</c> is at most 3), when nothing
/// writes it between the test and the use. Sums and differences with constants follow. Null when nothing bounds it.
/// </summary>
internal static class Bounds
{
    public static long? Upper(IOperation? operation) => Upper(operation, 0);

    private static long? Upper(IOperation? operation, int depth)
    {
        if (ConstantValues.TryGetInt64(operation, out long constant))
            return constant;
        operation = OperationShape.UnwrapNumeric(operation);
        if (operation is null || depth > 4)
            return null;
        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum:
                return Upper(sum.LeftOperand, depth + 1) is { } left && Upper(sum.RightOperand, depth + 1) is { } right ? left + right : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference when ConstantValues.TryGetInt64(difference.RightOperand, out long subtracted):
                return Upper(difference.LeftOperand, depth + 1) is { } minuend ? minuend - subtracted : null;
            case IInvocationOperation { TargetMethod: { Name: Names.Math.Min, ContainingType.Name: Names.Math.TypeName } } min:
                long? least = null;
                foreach (var argument in min.Arguments)
                {
                    if (Upper(argument.Value, depth + 1) is { } bound && (least is null || bound < least))
                        least = bound;
                }
                return least;
            case ILocalReferenceOperation or IParameterReferenceOperation:
                long? best = null;
                if (operation is ILocalReferenceOperation local && ConstantValues.SingleAssignedValue(local) is { } assigned)
                    best = Upper(assigned, depth + 1);
                var variable = OperationShape.VariableOf(operation)!;
                foreach (var fact in Conditions.At(operation))
                {
                    if (fact.UpperBound is { } bound && (best is null || bound < best)
                        && SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(fact.Subject.Operation), variable)
                        && !WrittenBetween(variable, fact.Origin, operation))
                        best = bound;
                }
                return best;
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether the variable may change between the test and the use: a write between them in the text, other than the
    /// increment of the loop the test is the condition of (it runs before the test again), or a write in a loop around
    /// the use that the test is outside of (it runs before the next pass's use).
    /// </summary>
    private static bool WrittenBetween(ISymbol variable, IOperation test, IOperation use)
    {
        var writes = VariableWrites.Of(use);
        if (writes.WrittenAnywhere(variable))
            return true;
        int from = test.Syntax.Span.End, to = use.Syntax.SpanStart;
        var increments = IncrementsOfLoopTesting(test);
        foreach (int at in writes.PositionsOf(variable))
        {
            if (at > from && at <= to && !increments.Any(step => step.Syntax.Span.Start < at && at <= step.Syntax.Span.End))
                return true;
            for (var loop = use.Parent; loop is not null; loop = loop.Parent)
            {
                if (loop is ILoopOperation && loop.Syntax.Span.Start < at && at <= loop.Syntax.Span.End && !loop.Syntax.Span.Contains(test.Syntax.Span))
                    return true;
            }
        }
        return false;
    }

    /// <summary>The increments of the <c>for</c> loop whose condition holds the test, if it is one.</summary>
    private static IEnumerable<IOperation> IncrementsOfLoopTesting(IOperation test)
    {
        for (var parent = test.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IForLoopOperation { Condition: { } condition } loop && condition.Syntax.Span.Contains(test.Syntax.Span))
                return loop.AtLoopBottom;
        }
        return [];
    }
}
