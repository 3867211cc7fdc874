using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pools;

/// <summary>
/// A pool's memory owner (FOLIO011): an <c>IMemoryOwner&lt;T&gt;</c> from <c>MemoryPool&lt;T&gt;.Rent</c>, released by
/// its <c>Dispose</c> (twice returns its memory twice to pools that do not check, such as Kestrel's), used through its
/// Memory, whose spans and slices die with it. Not disposing one at all is CA2000's to report.
/// </summary>
internal sealed class MemoryOwnerKind(FrameworkTypes types) : ResourceKind
{
    public override bool Acquires(IInvocationOperation call) =>
        call.TargetMethod.Name == Names.MemoryPool.Rent && FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, types.MemoryPool);

    public override Release ReleaseBy(IInvocationOperation call, Tracked tracked) =>
        call is { TargetMethod: { Name: Names.Disposable.Dispose, Parameters.Length: 0 }, Instance: { } owner } && tracked.Is(OperationShape.Unwrap(owner)) ? Release.Once : Release.None;

    public override IOperation? UseAt(IOperation node, Tracked tracked) =>
        node is IPropertyReferenceOperation { Property.Name: Names.MemoryOwner.Memory } memory && tracked.Is(OperationShape.Unwrap(memory.Instance)) ? memory : null;

    /// <summary><c>owner.Memory</c>, its Span, or a slice or range of either.</summary>
    public override bool IsView(IOperation? value, Tracked tracked)
    {
        for (int depth = 0; value is not null && depth < 8; depth++)
        {
            switch (OperationShape.Unwrap(value))
            {
                case IPropertyReferenceOperation { Property.Name: Names.MemoryOwner.Memory } memory:
                    return tracked.Is(OperationShape.Unwrap(memory.Instance));
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span, Instance: { } of }:
                    value = of;
                    break;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice, Instance: { } sliced }:
                    value = sliced;
                    break;
                case IImplicitIndexerReferenceOperation range:
                    value = range.Instance;
                    break;
                case ILocalReferenceOperation local:
                    return tracked.IsViewLocal(local);
                default:
                    return false;
            }
        }
        return false;
    }
}
