using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
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

    /// <summary>The awaited value around an operation (<c>await x</c>, <c>await x.ConfigureAwait(false)</c>), or the operation itself.</summary>
    public static IOperation Awaited(IOperation operation)
    {
        var awaited = operation;
        if (Outermost(awaited).Parent is IInvocationOperation { TargetMethod.Name: Names.Tasks.ConfigureAwait } configured && configured.Instance == Outermost(awaited))
            awaited = configured;
        return Outermost(awaited).Parent is IAwaitOperation await ? Outermost(await) : operation;
    }

    /// <summary>The operation under <c>await</c> and <c>.ConfigureAwait(...)</c>, or the operation itself.</summary>
    public static IOperation? UnwrapAwait(IOperation? operation)
    {
        operation = Unwrap(operation);
        if (operation is IAwaitOperation await)
            operation = Unwrap(await.Operation);
        if (operation is IInvocationOperation { TargetMethod.Name: Names.Tasks.ConfigureAwait, Instance: { } configured })
            operation = Unwrap(configured);
        return operation;
    }

    /// <summary>
    /// The value under implicit conversions (a span to a read-only span, an int to a long), conversions to or from an
    /// enum, parentheses and an <c>out var</c> declaration: none of them changes which variable or memory the value is.
    /// </summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { IsImplicit: true } or IConversionOperation { Operand.Type.TypeKind: TypeKind.Enum }:
                    operation = ((IConversionOperation)operation).Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                case IDeclarationExpressionOperation declaration:
                    operation = declaration.Expression;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The task under <c>task.Result</c>, <c>task.GetAwaiter()</c> or <c>task.AsTask()</c> (of a <c>Task</c> or
    /// <c>ValueTask</c>), else <see cref="Unwrap"/> of the operation: the value a task completes with goes where these go.
    /// </summary>
    public static IOperation? UnwrapTaskValue(IOperation? operation)
    {
        operation = Unwrap(operation);
        return operation switch
        {
            IPropertyReferenceOperation { Property.Name: Names.Tasks.Result, Instance: { } task } when IsTask(task.Type) => Unwrap(task),
            IInvocationOperation { TargetMethod.Name: Names.Tasks.GetAwaiter or Names.Tasks.AsTask, Instance: { } task } when IsTask(task.Type) => Unwrap(task),
            _ => operation,
        };
    }

    private static bool IsTask(ITypeSymbol? type) =>
        type is { Name: Names.Tasks.Task or Names.Tasks.ValueTask, ContainingNamespace: { Name: Names.Tasks.Namespace, ContainingNamespace: { Name: Names.Tasks.ThreadingNamespace, ContainingNamespace: { Name: Names.SystemNamespace, ContainingNamespace.IsGlobalNamespace: true } } } };

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

    /// <summary>
    /// The text that names an expression, for telling apart the things code names the same way whatever symbol holds
    /// them (<c>reader</c>, <c>_connection.Input</c>, <c>this._input</c> as <c>_input</c>): no white space, no <c>this.</c>.
    /// </summary>
    public static string TextKey(IOperation operation)
    {
        string text = operation.Syntax.ToString();
        var key = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
                key.Append(c);
        }
        string result = key.ToString();
        return result.StartsWith("this.", StringComparison.Ordinal) ? result.Substring(5) : result;
    }

    /// <summary>Whether the operation is the constant null (<c>null</c>, <c>default</c> of a reference type), under conversions.</summary>
    public static bool IsNullConstant(IOperation? operation) => Unwrap(operation) is { ConstantValue: { HasValue: true, Value: null } };

    /// <summary>
    /// True for a test that <paramref name="isSubject"/>'s operand is null (<c>x == null</c>, <c>x is null</c>), false for
    /// one that it is not (<c>x != null</c>, <c>x is not null</c>), null for any other condition.
    /// </summary>
    public static bool? NullTest(IOperation condition, Func<IOperation?, bool> isSubject) => condition switch
    {
        IIsNullOperation isNull when isSubject(Unwrap(isNull.Operand)) => true,
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } compare
            when isSubject(Unwrap(compare.LeftOperand)) && IsNullConstant(compare.RightOperand) || isSubject(Unwrap(compare.RightOperand)) && IsNullConstant(compare.LeftOperand)
            => compare.OperatorKind == BinaryOperatorKind.Equals,
        IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern when isSubject(Unwrap(pattern.Value)) && IsNullConstant(constant.Value) => true,
        IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern when isSubject(Unwrap(pattern.Value)) && IsNullConstant(constant.Value) => false,
        _ => null,
    };

    /// <summary>Whether the reference is the target of a plain assignment (<c>x = ...</c>), not a read.</summary>
    public static bool IsAssignedTo(IOperation reference) =>
        reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    /// <summary>Whether the operation sits in a lambda or local function, which may run at any time or never.</summary>
    public static bool InNestedFunction(IOperation operation) => EnclosingFunction(operation) is not null;

    /// <summary>The lambda or local function an operation runs in, or null for the member's own body.</summary>
    public static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return parent;
        }
        return null;
    }

    /// <summary>The receiver of a call: its instance, or the first argument of an extension method.</summary>
    public static IOperation? Receiver(IInvocationOperation call) =>
        call.Instance ?? (call.Arguments.Length > 0 && call.TargetMethod.IsExtensionMethod ? call.Arguments[0].Value : null);
}
