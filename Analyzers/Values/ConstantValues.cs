using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>
/// Folds the value of an integer or enum expression when the compiler can: literals, constants, constant
/// arithmetic, <c>|</c> of foldable values, and locals assigned exactly once. Never guesses.
/// </summary>
internal static class ConstantValues
{
    public static bool TryGetInt64(IOperation? operation, out long value) => TryGetInt64(operation, out value, depth: 0);

    /// <summary>
    /// <paramref name="depth"/> bounds the locals followed: code being typed can initialise locals from each other
    /// (<c>var a = b; var b = a;</c> binds, with an error), and a stack overflow would take the compiler down; each local
    /// followed counts one.
    /// </summary>
    private static bool TryGetInt64(IOperation? operation, out long value, int depth)
    {
        value = 0;
        operation = OperationShape.Unwrap(operation);
        if (operation is null || depth > 16)
            return false;
        if (operation.ConstantValue.HasValue)
            return TryConvert(operation.ConstantValue.Value, out value);

        switch (operation)
        {
            case IBinaryOperation binary:
                return TryGetInt64(binary.LeftOperand, out long left, depth) && TryGetInt64(binary.RightOperand, out long right, depth)
                    && TryFold(binary.OperatorKind, left, right, out value);
            case IInvocationOperation { TargetMethod: { Name: Names.BitOperations.Log2, ContainingType: { Name: Names.BitOperations.TypeName, ContainingNamespace.Name: Names.BitOperations.Namespace } } } log2
                when log2.Arguments.Length == 1 && TryGetInt64(log2.Arguments[0].Value, out long operand, depth) && operand > 0:
                value = 63 - LeadingZeros((ulong)operand);
                return true;
            case IInvocationOperation { TargetMethod: { Name: Names.Decoders.SizeOf, IsGenericMethod: true, ContainingType.Name: Names.Decoders.UnsafeTypeName } sizeOf }
                when SizeOfPrimitive(sizeOf.TypeArguments[0]) is { } size:
                value = size;
                return true;
            case ILocalReferenceOperation local when SingleAssignedValue(local) is { } assigned:
                return TryGetInt64(assigned, out value, depth + 1);
            default:
                return false;
        }
    }

    private static bool TryFold(BinaryOperatorKind op, long left, long right, out long value)
    {
        value = op switch
        {
            BinaryOperatorKind.Or => left | right,
            BinaryOperatorKind.And => left & right,
            BinaryOperatorKind.ExclusiveOr => left ^ right,
            BinaryOperatorKind.Add => left + right,
            BinaryOperatorKind.Subtract => left - right,
            BinaryOperatorKind.Multiply => left * right,
            BinaryOperatorKind.Divide when right != 0 => left / right,
            BinaryOperatorKind.Remainder when right != 0 => left % right,
            BinaryOperatorKind.LeftShift when right is >= 0 and < 63 => left << (int)right,
            BinaryOperatorKind.RightShift when right is >= 0 and < 63 => left >> (int)right,
            _ => long.MinValue,
        };
        return value != long.MinValue;
    }

    private static int LeadingZeros(ulong value)
    {
        int zeros = 0;
        for (ulong bit = 1UL << 63; bit != 0 && (value & bit) == 0; bit >>= 1)
            zeros++;
        return zeros;
    }

    /// <summary>The size of a primitive type argument; a struct's size is the runtime's layout, not folded here.</summary>
    public static int? SizeOfPrimitive(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
        SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        SpecialType.System_Decimal => 16,
        _ => null,
    };

    /// <summary>
    /// The value a local gets from its initializer, when nothing else ever writes it. For a ref local that is never
    /// pointed elsewhere, the variable it aliases (<c>ref var a = ref x;</c> gives <c>x</c>), which callers follow in
    /// turn: a write through either is a write of both. A local an <c>is</c> pattern designates as its whole input
    /// (<c>x is { Length: &gt;= 4 } header</c>, <c>x is var span</c>, <c>x is not null and var v</c>) holds that input.
    /// </summary>
    public static IOperation? SingleAssignedValue(ILocalReferenceOperation reference)
    {
        // One walk per body answers the question for every local of it, however often the rules ask.
        var cache = MemberCache.Of(reference);
        var assignments = cache.Fact(cache.Root, static root => FindSingleAssignments(root));
        return assignments.TryGetValue(reference.Local, out var value) ? value : null;
    }

    /// <summary>
    /// Every local of the body with the value it is declared with, when nothing writes it again: not an assignment, an
    /// increment, a ref or out argument, a deconstruction, a lambda or local function (the walk covers them), nor a
    /// write through a ref local that aliases it (<c>ref var a = ref x; a = ...;</c>).
    /// </summary>
    private static Dictionary<ILocalSymbol, IOperation?> FindSingleAssignments(IOperation root)
    {
        var initializers = new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);
        var rewritten = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var aliased = new List<(ILocalSymbol Alias, ILocalSymbol Target)>();
        foreach (var operation in OperationTrees.Of(root))
        {
            switch (operation)
            {
                case IPatternOperation pattern when DesignatedLocal(pattern) is { } designated && WholeInputOf(pattern) is { } input:
                    initializers[designated] = input;
                    break;
                case IVariableDeclaratorOperation declarator:
                    initializers[declarator.Symbol] = declarator.Initializer?.Value;
                    if (declarator.Symbol.IsRef && OperationShape.Unwrap(declarator.Initializer?.Value) is ILocalReferenceOperation aliasedLocal)
                        aliased.Add((declarator.Symbol, aliasedLocal.Local));
                    break;
                case ISimpleAssignmentOperation { IsRef: true, Target: ILocalReferenceOperation alias, Value: var target }:
                    rewritten.Add(alias.Local);
                    if (OperationShape.Unwrap(target) is ILocalReferenceOperation pointed)
                        aliased.Add((alias.Local, pointed.Local));
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation written }:
                    rewritten.Add(written.Local);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation written }:
                    rewritten.Add(written.Local);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation written }:
                    rewritten.Add(written.Local);
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }:
                    rewritten.Add(declared.Local);
                    break;
                case IDeconstructionAssignmentOperation { Target: ITupleOperation parts }:
                    foreach (var part in parts.DescendantsAndSelf())
                    {
                        if (part is ILocalReferenceOperation written)
                            rewritten.Add(written.Local);
                    }
                    break;
            }
        }
        // A write through an alias is a write of what it aliases (and of what that aliases, in turn).
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (alias, target) in aliased)
            {
                if (rewritten.Contains(alias))
                    grew |= rewritten.Add(target);
            }
        }
        foreach (var local in rewritten)
            initializers.Remove(local);
        return initializers;
    }

    private static ILocalSymbol? DesignatedLocal(IPatternOperation pattern) => pattern switch
    {
        IDeclarationPatternOperation declaration => declaration.DeclaredSymbol as ILocalSymbol,
        IRecursivePatternOperation recursive => recursive.DeclaredSymbol as ILocalSymbol,
        IListPatternOperation list => list.DeclaredSymbol as ILocalSymbol,
        _ => null,
    };

    /// <summary>The value an <c>is</c> expression tests, when the pattern applies to all of it (at the top, or in an <c>and</c>).</summary>
    private static IOperation? WholeInputOf(IPatternOperation pattern)
    {
        IOperation node = pattern;
        while (node.Parent is IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } or INegatedPatternOperation)
            node = node.Parent;
        return node.Parent is IIsPatternOperation test && test.Pattern == node ? test.Value : null;
    }

    private static bool TryConvert(object? constant, out long value)
    {
        switch (constant)
        {
            case int i: value = i; return true;
            case long l: value = l; return true;
            case short s: value = s; return true;
            case byte b: value = b; return true;
            case uint u: value = u; return true;
            case ushort us: value = us; return true;
            case sbyte sb: value = sb; return true;
            // The bit pattern: a 64-bit mask such as 0xFFFF_FFFF_FFFF_F000UL reads as -4096, as a long mask would.
            case ulong ul: value = unchecked((long)ul); return true;
            default: value = 0; return false;
        }
    }
}
