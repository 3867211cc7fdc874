using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pages;

/// <summary>
/// Whether a guard keeps an offset inside the folio it indexes: <c>j &lt; page.Length</c> around <c>page[j]</c>,
/// <c>o + 4 &lt;= page.Length</c> around a 4-byte read at <c>page.Slice(o)</c>, <c>j &lt;= folio.Length - 8</c>. An
/// offset bounded by the folio's own length is counted from that folio's start, so it cannot cross into the next page;
/// a buffer offset is bounded by the buffer's length instead. The guards are the conditions in effect at the access
/// (<see cref="Conditions.At"/>: loops, branches, early exits, switch arms and their <c>when</c> clauses), and a guard
/// counts only while the offset is not written between it and the access (a <c>for</c> loop's own increment is
/// checked again before the body runs).
/// </summary>
internal static class OwnLength
{
    /// <summary>
    /// Whether <c><paramref name="offset"/> + <paramref name="bytes"/> &lt;= L</c> holds at <paramref name="access"/>,
    /// where L is the length of the folio whose memory <paramref name="span"/> is (unsliced).
    /// </summary>
    public static bool Bounds(IOperation access, IOperation offset, long bytes, IOperation span, FoliosTypes types)
    {
        if (Linear(offset) is not { } indexed || PageMemory.Owner(span, types, throughSlices: false) is not { } owner)
            return false;
        foreach (var fact in Conditions.At(access))
        {
            if (fact.Subject.Operation is not { } subject || fact.Value is null || Linear(subject) is not { } tested
                || !SymbolEqualityComparer.Default.Equals(tested.Variable, indexed.Variable)
                || LengthMinus(fact.Value, owner, types, depth: 0) is not { } less)
                continue;
            // tested.Variable + tested.Shift REL Length - less, so tested.Variable + margin <= Length.
            long? margin = fact.Relation switch
            {
                BinaryOperatorKind.LessThan => tested.Shift + less + 1,
                BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals => tested.Shift + less,
                _ => null,
            };
            if (margin is { } room && indexed.Shift + bytes <= room && !WrittenBetween(indexed.Variable, fact.Origin, access))
                return true;
        }
        return false;
    }

    /// <summary>A variable plus a constant (<c>j</c>, <c>o + 4</c>, <c>i - 1</c>), explicit numeric casts ignored.</summary>
    private static (ISymbol Variable, long Shift)? Linear(IOperation operation)
    {
        operation = OperationShape.UnwrapNumeric(operation)!;
        if (OperationShape.VariableOf(operation) is { } variable)
            return (variable, 0);
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } sum)
        {
            int sign = sum.OperatorKind == BinaryOperatorKind.Add ? 1 : -1;
            if (ConstantValues.TryGetInt64(sum.RightOperand, out long right) && OperationShape.VariableOf(OperationShape.UnwrapNumeric(sum.LeftOperand)) is { } left)
                return (left, sign * right);
            if (sign == 1 && ConstantValues.TryGetInt64(sum.LeftOperand, out long first) && OperationShape.VariableOf(OperationShape.UnwrapNumeric(sum.RightOperand)) is { } second)
                return (second, first);
        }
        return null;
    }

    /// <summary>
    /// How far below the folio's length <paramref name="value"/> is (<c>page.Length</c>: 0, <c>folio.Length - 8</c>: 8,
    /// a local holding either), when it is the length of the folio <paramref name="owner"/>; null for anything else.
    /// </summary>
    private static long? LengthMinus(IOperation value, IOperation owner, FoliosTypes types, int depth)
    {
        value = OperationShape.UnwrapNumeric(value)!;
        switch (value)
        {
            case IPropertyReferenceOperation { Property.Name: Names.Span.Length, Instance: { } measured }:
                var measuredOwner = SymbolEqualityComparer.Default.Equals(measured.Type, types.Folio) ? measured : PageMemory.Owner(measured, types, throughSlices: false);
                return measuredOwner is not null && SameOwner(measuredOwner, owner) ? 0 : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference when ConstantValues.TryGetInt64(difference.RightOperand, out long less):
                return LengthMinus(difference.LeftOperand, owner, types, depth) + less;
            case ILocalReferenceOperation local when depth < 4 && ConstantValues.SingleAssignedValue(local) is { } held:
                return LengthMinus(held, owner, types, depth + 1);
            default:
                return null;
        }
    }

    /// <summary>The same folio: the same variable, or the same expression (<c>buffer.GetFolio(1)</c> both times).</summary>
    private static bool SameOwner(IOperation first, IOperation second)
    {
        first = OperationShape.Unwrap(first)!;
        second = OperationShape.Unwrap(second)!;
        if (first == second)
            return true;
        if (OperationShape.VariableOf(first) is { } one)
            return SymbolEqualityComparer.Default.Equals(one, OperationShape.VariableOf(second));
        return OperationShape.VariableOf(second) is null && first.Kind == second.Kind && Text(first) == Text(second);
    }

    private static string Text(IOperation operation) => new(operation.Syntax.ToString().Where(c => !char.IsWhiteSpace(c)).ToArray());

    /// <summary>
    /// Whether the offset variable is written between the guard and the access, in source order: assigned,
    /// incremented, or passed by reference. The increments of a <c>for</c> loop whose condition is the guard run
    /// before it is tested again, and do not count.
    /// </summary>
    private static bool WrittenBetween(ISymbol variable, IOperation guard, IOperation access)
    {
        int from = guard.Syntax.Span.End, to = access.Syntax.SpanStart;
        IForLoopOperation? loop = null;
        for (var node = guard; node.Parent is { } parent && loop is null; node = parent)
        {
            if (parent is IForLoopOperation forLoop && forLoop.Condition is { } condition && condition.Syntax.Span.Contains(guard.Syntax.Span))
                loop = forLoop;
        }
        foreach (var operation in OperationTrees.Of(OperationShape.Root(access)))
        {
            int at = operation.Syntax.SpanStart;
            if (at < from || at >= to || !Writes(operation, variable))
                continue;
            if (loop is null || !loop.AtLoopBottom.Any(increment => increment.Syntax.Span.Contains(operation.Syntax.Span)))
                return true;
        }
        return false;
    }

    private static bool Writes(IOperation operation, ISymbol variable) => operation switch
    {
        IAssignmentOperation assignment => SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(assignment.Target), variable),
        IIncrementOrDecrementOperation step => SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(step.Target), variable),
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(argument.Value), variable),
        _ => false,
    };
}
