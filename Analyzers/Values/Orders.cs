using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>Folding an allocation order the way the rules agree on.</summary>
internal static class Orders
{
    /// <summary>An order given as a foldable value, or as OrderForSize of a foldable size.</summary>
    public static bool TryGetOrder(IOperation value, FoliosTypes types, FoliosOptions options, out int order)
    {
        order = 0;
        value = OperationShape.Unwrap(value)!;
        if (value is ILocalReferenceOperation local && ConstantValues.SingleAssignedValue(local) is { ConstantValue.HasValue: false } assigned)
            value = OperationShape.Unwrap(assigned)!;
        if (value is IInvocationOperation { TargetMethod.Name: Names.PageAllocator.OrderForSize } call
            && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.PageAllocator)
            && call.Arguments.Length == 1
            && ConstantValues.TryGetInt64(call.Arguments[0].Value, out long bytes) && bytes > 0)
        {
            order = options.OrderForSize(bytes);
            return true;
        }
        if (!ConstantValues.TryGetInt64(value, out long constant) || constant < 0 || constant > 30)
            return false;
        order = (int)constant;
        return true;
    }
}
