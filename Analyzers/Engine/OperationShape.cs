using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Engine;

/// <summary>The questions every rule asks of an operation's shape, answered once here.</summary>
internal static class OperationShape
{
    /// <summary>The root of the operation's tree: the member body, initializer or statement list above everything.</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
            operation = operation.Parent;
        return operation;
    }

    /// <summary>The operation with the implicit conversions and parentheses around it, whose parent is what uses it.</summary>
    public static IOperation Outermost(IOperation operation)
    {
        while (operation.Parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            operation = operation.Parent;
        return operation;
    }

    /// <summary>
    /// The value under implicit conversions (a span to a read-only span, an int to a long), conversions to or from an
    /// enum, and parentheses: none of them changes which variable or memory the value is.
    /// </summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IConversionOperation { Operand.Type.TypeKind: TypeKind.Enum } or IParenthesizedOperation)
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        return operation;
    }

    /// <summary><see cref="Unwrap"/>, and explicit numeric casts too (<c>(int)span.Length</c>): a length is a length.</summary>
    public static IOperation? UnwrapNumeric(IOperation? operation)
    {
        while (true)
        {
            operation = Unwrap(operation);
            if (operation is IConversionOperation { Operand.Type.SpecialType: >= SpecialType.System_SByte and <= SpecialType.System_UInt64 } numeric)
                operation = numeric.Operand;
            else
                return operation;
        }
    }

    /// <summary>The variable an operation reads: a local, a parameter or a field; null for anything computed.</summary>
    public static ISymbol? VariableOf(IOperation? operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };

    /// <summary>Whether the reference is the target of a plain assignment (<c>x = ...</c>), not a read.</summary>
    public static bool IsAssignedTo(IOperation reference) =>
        reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    /// <summary>Whether the operation sits in a lambda or local function, which may run at any time or never.</summary>
    public static bool InNestedFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return true;
        }
        return false;
    }

    /// <summary>The receiver of a call: its instance, or the first argument of an extension method.</summary>
    public static IOperation? Receiver(IInvocationOperation call) =>
        call.Instance ?? (call.Arguments.Length > 0 && call.TargetMethod.IsExtensionMethod ? call.Arguments[0].Value : null);
}
