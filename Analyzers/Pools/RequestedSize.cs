using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pools;

/// <summary>
/// The size asked for, written again where a use of the buffer needs it (<c>a.AsSpan(0, n)</c>, <c>n</c> for
/// <c>a.Length</c>), and the rewrites of a use that take only that part: only when the expression gives the same
/// value there, and names the same variables.
/// </summary>
internal static class RequestedSize
{
    /// <summary>
    /// The rewrites of a use, each the new text for the reported node, best first; empty when the size asked for is not
    /// safe to repeat there, or slicing to it is not safe on every path the buffer may come from.
    /// </summary>
    public static List<string> Rewrites(Rental rental, OversizedUse use)
    {
        if (!use.Exact || use.FilledWithCount || use.FromOffset || !IsRepeatable(rental.Size, new Place(rental, use), 0))
            return [];
        string size = rental.Size.Syntax.ToString();
        var node = use.Node;
        if (use.Kind is OversizeKind.LengthAsCount or OversizeKind.LengthAsBound)
            return [node.Parent is IBinaryOperation && rental.Size.Syntax is not IdentifierNameSyntax and not LiteralExpressionSyntax ? "(" + size + ")" : size];
        var target = OperationShape.Outermost(node).Type;
        switch (OperationShape.Unwrap(node))
        {
            case IInvocationOperation { Arguments.Length: 1, TargetMethod.Name: Names.Span.AsSpan or Names.ArrayViews.AsMemory } view when view.TargetMethod.IsExtensionMethod:
                return [$"{view.Arguments[0].Value.Syntax}.{view.TargetMethod.Name}(0, {size})"];
            case IObjectCreationOperation { Arguments.Length: 1 } creation when BufferTypes.IsView(creation.Type) && creation.Syntax is BaseObjectCreationExpressionSyntax { ArgumentList: { } list }:
                string text = creation.Syntax.ToString();
                int close = list.CloseParenToken.SpanStart - creation.Syntax.SpanStart;
                return [text.Substring(0, close) + ", 0, " + size + text.Substring(close)];
            case { Type: IArrayTypeSymbol array } whole:
                return ArrayRewrites(whole, array, target, size, node);
            case { Type: { } type } view when BufferTypes.IsSpanOrMemory(type):
                return [$"{view.Syntax}.{Names.Span.Slice}(0, {size})"];
            default:
                return [];
        }
    }

    /// <summary>
    /// An array where a span, a memory, a sequence of elements or another array is taken: a span or memory of its
    /// first n elements, the same as an <c>ArraySegment&lt;T&gt;</c> (which is also an IEnumerable and an
    /// IReadOnlyList), or the array followed by <c>0, n</c> for a method with an (array, offset, count) overload.
    /// </summary>
    private static List<string> ArrayRewrites(IOperation array, IArrayTypeSymbol type, ITypeSymbol? target, string size, IOperation node)
    {
        string element = type.ElementType.ToMinimalDisplayString(node.SemanticModel!, node.Syntax.SpanStart);
        string memory = target is INamedTypeSymbol { Name: Names.Memory.TypeName or Names.Memory.ReadOnlyTypeName } ? Names.ArrayViews.AsMemory : Names.Span.AsSpan;
        var rewrites = new List<string> { $"{array.Syntax}.{memory}(0, {size})" };
        if (OperationShape.Outermost(node).Parent is IArgumentOperation { Parameter.Type: IArrayTypeSymbol })
            rewrites.Add($"{array.Syntax}, 0, {size}");
        rewrites.Add($"new {Names.ArrayViews.ArraySegmentTypeName}<{element}>({array.Syntax}, 0, {size})");
        return rewrites;
    }

    /// <summary>Where the size would be written again: from the rental to the use (or to the end of the loop whose bound it is), in the loops around the use that repeat it.</summary>
    private readonly struct Place(Rental rental, OversizedUse use)
    {
        public Rental Rental { get; } = rental;
        public OversizedUse Use { get; } = use;
        public VariableWrites Writes { get; } = VariableWrites.Of(rental.Call);

        /// <summary>Whether the variable keeps its value from the rental to the use, wherever the use repeats, and the use's position names it.</summary>
        public bool Keeps(ISymbol variable)
        {
            int from = Rental.Call.Syntax.Span.End;
            var region = (Use.Loop ?? Use.Node).Syntax;
            if (Writes.WrittenBetween(variable, from, region.Span.End))
                return false;
            for (var parent = Use.Node.Parent; parent is not null; parent = parent.Parent)
            {
                // A loop around the use but not the rental runs the use again after the code below it.
                if (parent is ILoopOperation loop && !loop.Syntax.Span.Contains(Rental.Call.Syntax.Span)
                    && Writes.WrittenBetween(variable, loop.Syntax.SpanStart, loop.Syntax.Span.End))
                    return false;
            }
            // The name bound where the use stands, as the fix would write it: a lookup of that one name (listing the
            // symbols in scope instead builds the compiler's tables of every name of every reference).
            return Use.Node.SemanticModel is { } model
                && SymbolEqualityComparer.Default.Equals(
                    model.GetSpeculativeSymbolInfo(Use.Node.Syntax.SpanStart, SyntaxFactory.IdentifierName(variable.Name), SpeculativeBindingOption.BindAsExpression).Symbol,
                    variable);
        }
    }

    /// <summary>A constant, a local or by-value parameter that keeps its value, a readonly field, the length of a string, array or span that does, and arithmetic of them.</summary>
    private static bool IsRepeatable(IOperation? size, Place place, int depth)
    {
        size = OperationShape.Unwrap(size);
        if (size is null || depth > 8)
            return false;
        if (size.ConstantValue.HasValue)
            return true;
        return size switch
        {
            ILocalReferenceOperation local => !local.Local.IsRef && place.Keeps(local.Local),
            IParameterReferenceOperation parameter => parameter.Parameter.RefKind == RefKind.None && place.Keeps(parameter.Parameter),
            IFieldReferenceOperation field => (field.Field.IsReadOnly || field.Field.IsConst)
                && (field.Instance is null or IInstanceReferenceOperation || IsRepeatable(field.Instance, place, depth + 1))
                && (field.Syntax is not IdentifierNameSyntax || place.Keeps(field.Field)),
            IPropertyReferenceOperation { Property.Name: Names.Span.Length, Instance: { } owner }
                when owner.Type?.SpecialType == SpecialType.System_String || owner.Type is IArrayTypeSymbol || BufferTypes.IsSpanOrMemory(owner.Type) => IsRepeatable(owner, place, depth + 1),
            IBinaryOperation arithmetic when IsArithmetic(arithmetic.OperatorKind)
                => IsRepeatable(arithmetic.LeftOperand, place, depth + 1) && IsRepeatable(arithmetic.RightOperand, place, depth + 1),
            IConversionOperation conversion => IsRepeatable(conversion.Operand, place, depth + 1),
            _ => false,
        };
    }

    private static bool IsArithmetic(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide
            or BinaryOperatorKind.Remainder or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift
            or BinaryOperatorKind.And or BinaryOperatorKind.Or;
}
