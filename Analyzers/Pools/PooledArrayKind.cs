using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pools;

/// <summary>
/// An array rented from an <c>ArrayPool&lt;T&gt;</c> (FOLIO011, FOLIO012): acquired by <c>Rent</c> on any pool (the
/// shared one, one made by <c>Create</c>, or a pool of the user's own that derives from ArrayPool), released by
/// <c>Return</c> (twice hands one array to two renters); used by anything but reading its Length or testing it for
/// null; viewed by spans, memory and segments over it, which die with it.
/// </summary>
internal sealed class PooledArrayKind : ResourceKind
{
    private readonly FrameworkTypes _types;
    private readonly Func<IInvocationOperation, bool> _isReturn;

    public PooledArrayKind(FrameworkTypes types)
    {
        _types = types;
        _isReturn = IsReturn;
    }

    public override bool Acquires(IInvocationOperation call) =>
        call.TargetMethod.Name == Names.ArrayPool.Rent && FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, _types.ArrayPool);

    public override Release ReleaseBy(IInvocationOperation call, Tracked tracked) =>
        IsReturn(call) && ReturnedArray(call) is { } array && tracked.Is(OperationShape.Unwrap(array)) ? Release.Once : Release.None;

    private bool IsReturn(IInvocationOperation call) =>
        call.TargetMethod.Name == Names.ArrayPool.Return && FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, _types.ArrayPool);

    /// <summary>The array a Return call gives back: the argument for its first parameter, wherever a named argument put it.</summary>
    internal static IOperation? ReturnedArray(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
                return argument.Value;
        }
        return null;
    }

    /// <summary>
    /// Any reference to the array is a use, except what stays true after it went back: its Length, a null test, a new
    /// value written over the variable, and the Return call itself (a second one is reported as such).
    /// </summary>
    public override IOperation? UseAt(IOperation node, Tracked tracked)
    {
        if (tracked.ReferenceAt(node) is not { } used)
            return null;
        return used.Parent switch
        {
            IPropertyReferenceOperation { Property.Name: Names.Span.Length or Names.ArrayViews.LongLength } => null,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } compare when OperationShape.IsNullConstant(compare.LeftOperand) || OperationShape.IsNullConstant(compare.RightOperand) => null,
            IIsNullOperation or IIsPatternOperation => null,
            IArgumentOperation { Parent: IInvocationOperation call } when IsReturn(call) => null,
            _ => node,
        };
    }

    /// <summary>
    /// A span, memory or segment over the array (<c>Span&lt;byte&gt; s = rented;</c>, <c>rented.AsSpan(0, n)</c>,
    /// <c>new ArraySegment&lt;byte&gt;(rented)</c>), a slice or range of one, or an assignment that rents and views at once
    /// (<c>(rented = pool.Rent(n))</c> converted to a span).
    /// </summary>
    public override bool IsView(IOperation? value, Tracked tracked)
    {
        // What the value is (a span, memory or segment) decides whether it views the array or copies the reference.
        if (value is null || !IsViewType(value.Type))
            return false;
        for (int depth = 0; value is not null && depth < 8; depth++)
        {
            var inner = OperationShape.Unwrap(value);
            switch (inner)
            {
                case ILocalReferenceOperation or IFlowCaptureReferenceOperation:
                    return tracked.Is(inner) || tracked.IsViewLocal(inner);
                case ISimpleAssignmentOperation { Target: var target }:
                    return tracked.Is(target);
                case IInvocationOperation { TargetMethod.Name: Names.ArrayViews.AsSpan or Names.ArrayViews.AsMemory } view when OperationShape.Receiver(view) is { } array:
                    value = array;
                    break;
                case IObjectCreationOperation creation when IsViewType(creation.Type) && creation.Arguments.Length > 0:
                    value = creation.Arguments[0].Value;
                    break;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice, Instance: { } sliced }:
                    value = sliced;
                    break;
                case IImplicitIndexerReferenceOperation range when IsViewType(range.Type):
                    value = range.Instance;
                    break;
                default:
                    return tracked.Is(inner); // the rental itself, viewed in the expression that makes it
            }
        }
        return false;
    }

    private bool IsViewType(ITypeSymbol? type) => FrameworkTypes.IsSpan(type) || FrameworkTypes.IsMemoryType(type) || IsSegment(type);

    private bool IsSegment(ITypeSymbol? type) => type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _types.ArraySegment);

    /// <summary>
    /// A memory or segment of the array leads back to it (<c>MemoryMarshal.TryGetArray</c>, <c>segment.Array</c>): one
    /// stored in a field or handed to an owner takes the array along. A span cannot outlive the method.
    /// </summary>
    public override bool ViewCarriesOwnership(IOperation view) => FrameworkTypes.IsMemoryType(view.Type) || IsSegment(view.Type);

    /// <summary>A span, memory or segment made over the array views it; it does not take it.</summary>
    public override bool TakesOwnership(IArgumentOperation argument, Tracked tracked) =>
        base.TakesOwnership(argument, tracked)
        && !(argument.Parent is IObjectCreationOperation creation && IsViewType(creation.Type));

    /// <summary>An array given back in a shape the tree proves (<see cref="StructuredReturn"/>) needs no graph.</summary>
    public override bool ReleasedByStructure(IInvocationOperation acquisition, IOperation[] listing, bool exceptionLeaksReported, out IInvocationOperation? release) =>
        StructuredReturn.Returns(acquisition, listing, exceptionLeaksReported, _isReturn, out release);

    /// <summary>
    /// Rented from one pool and returned to another, where both are known: the shared pool, or a local that holds a pool
    /// made by <c>ArrayPool&lt;T&gt;.Create</c>. A field may hold either, so it decides nothing.
    /// </summary>
    public override bool IsAnotherOwner(IInvocationOperation release, Tracked tracked)
    {
        if (tracked.Acquisitions.Count == 0 || PoolOf(release.Instance, tracked) is not { } returnedTo)
            return false;
        foreach (var acquisition in tracked.Acquisitions)
        {
            if (PoolOf(acquisition.Instance, tracked) is not { } rentedFrom || Equals(rentedFrom, returnedTo))
                return false;
        }
        return true;
    }

    private object? PoolOf(IOperation? pool, Tracked tracked, int depth = 0) => OperationShape.Unwrap(pool) switch
    {
        IPropertyReferenceOperation { Property.Name: Names.ArrayPool.Shared, Property.IsStatic: true } shared => shared.Property.OriginalDefinition,
        IInvocationOperation { TargetMethod: { Name: Names.ArrayPool.Create, IsStatic: true } create } made when FrameworkTypes.IsOrDerivesFrom(create.ContainingType, _types.ArrayPool) => made,
        ILocalReferenceOperation local when depth < 4 => PoolOf(tracked.SingleWrite(local.Local), tracked, depth + 1) switch
        {
            IInvocationOperation => local.Local, // a pool made here is known by the local that holds it
            var known => known,
        },
        _ => null,
    };
}
